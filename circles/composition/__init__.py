"""Composing learning circles: valid, well-mixed circles from cleaned sign-ups (no Django imports).

Method. A circle is valid on time and place when all its members fit one *config*: a window start
(the first half-hour of `min_common_minutes` everyone has free) plus an anchor place (some member's,
within `max_distance_km` of everyone) in person, or an offset band (`max_offset_span_hours` wide) by
video. Enumerating configs per window start and anchor/band, and keeping only the maximal ones (an
eligible set inside another's adds nothing), turns the geometry and the calendar into plain sets,
so what is left (size, companies, groups) is a small assignment problem.

- Small rounds (up to WHOLE_ROUND_LIMIT usable people, e.g. the 86 sign-ups) are one CP-SAT model,
  in person and video together (`solver.py`): circle slots choose a config, people choose a slot;
  the objective is lexicographic by weights (people placed, women placed, role/seniority mix,
  target sizes). CP-SAT proves optimality or gives a bound on people placed (`upper_bound`).
- Large rounds are decomposed: in-person parts are clusters of places linked by `max_distance_km`
  (no circle can span two), solved one by one; then everyone still free who accepts video forms one
  video part. Parts up to EXACT_PART_LIMIT people use CP-SAT with a share of the time limit
  proportional to their size; bigger ones use the greedy composer (`greedy.py`), which is fast
  enough for 10,000 people on two cores. The bound then is everyone in some config with enough
  people (a cheap, true upper bound), and `optimal` is False.
- The greedy result is always CP-SAT's hint, so the exact solver never returns less than the greedy
  one, and every circle is re-checked with `circle_violations` before it is returned: an invalid
  one is dropped, never shown.
- Locked circles are returned exactly as given and their people are not reused; held-back people
  stay unplaced. `progress` is called as parts finish; `should_stop` stops early with the best
  valid composition so far. Every unplaced person gets the most specific reason found
  (`reasons.py`): nothing to match on, nobody near, nobody sharing a window, too few, companies,
  groups, or full circles.
"""

from .compose import compose
from .describe import describe_circle
from .validity import circle_violations

__all__ = ["circle_violations", "compose", "describe_circle"]
