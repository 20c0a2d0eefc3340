"""Composing learning circles: valid, well-mixed circles from cleaned sign-ups (no Django imports).

Method. A circle is valid on time and place when all its members fit one *config*: a window start
(the first half-hour of `min_common_minutes` everyone has free) plus an anchor place (some member's,
within `max_distance_km` of everyone) in person, or an offset band (`max_offset_span_hours` wide) by
video. Enumerating configs per window start and anchor/band, and keeping only the maximal ones (an
eligible set inside another's adds nothing), turns the geometry and the calendar into plain sets,
so what is left (size, companies, groups) is a small assignment problem.

- Small rounds (up to WHOLE_ROUND_LIMIT = 250 usable people, e.g. the 86 sign-ups) are one CP-SAT
  model, in person and video together (`solver.py`): each config gets as many circle slots as it
  could fill, people get seats only in slots of configs they fit. It is solved in two phases:
  people placed alone (a plain objective CP-SAT proves quickly), then, with that count held, women
  placed, role/seniority mix and target sizes. The first phase's bound is `upper_bound`; `optimal`
  means no composition places more people. On the 86-row sample it proves the optimum in ~8 s.
- Larger rounds are decomposed: in-person parts are clusters of places linked by
  `max_distance_km` (no circle can span two), solved one by one; then everyone still free who
  accepts video forms one video part. Parts up to EXACT_PART_LIMIT people use CP-SAT with a share
  of the time proportional to their size. Bigger parts get the greedy composer (`greedy.py`) and
  then a large-neighbourhood search (`improve.py`) that re-solves pieces around the unplaced with
  CP-SAT until their share of the time is spent. The bound is then everyone in some config with
  enough people (cheap and true, but loose), and `optimal` is False. Solving whole is better up to
  a few hundred people; beyond that the decomposition wins on quality as well as time.
- CP-SAT runs 8 workers on purpose even on 2 cores: the portfolio's variety (core-based bounds,
  LNS), not parallelism, is what closes the gap on these models.
- The greedy result is always CP-SAT's hint, so the exact solver never returns less than the
  greedy one, and every circle is re-checked with `circle_violations` before it is returned: an
  invalid one is dropped, never shown.
- Locked circles are returned exactly as given (same objects) and their people are not reused;
  held-back people stay unplaced. A pinned circle (some of its people locked) keeps its locked
  people together and is filled anew around them before the rest is composed (`pinned.py`); it
  comes back with the same `ref`, kept as it is with the reason when nobody can complete it.
- `plan_round` (the independent parts), `solve_part` and `finish_round` are the steps of
  `compose`, public so a large round's parts can run as separate tasks. `progress` is called as parts finish; `should_stop` is polled
  every 0.2 s, also during CP-SAT's search, and stops with the best valid composition so far.
  85% of `time_limit` goes to solving, the rest to checking and explaining. Every unplaced person
  gets the most specific reason found (`reasons.py`): nothing to match on, nobody near, nobody
  sharing a window, too few, companies, groups, or full circles.
- "The most members able to attend one slot" needs no term of its own: every member of a valid
  circle attends its common window, and the window reported is the longest run they all share.
"""

from .compose import (
    PartResult,
    Plan,
    compose,
    compose_plan,
    fill_seconds,
    finish_round,
    plan_round,
    solve_part,
)
from .describe import describe_circle
from .validity import circle_violations

__all__ = [
    "PartResult",
    "Plan",
    "circle_violations",
    "compose",
    "compose_plan",
    "describe_circle",
    "fill_seconds",
    "finish_round",
    "plan_round",
    "solve_part",
]
