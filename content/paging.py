"""Pages of a list without counting it: one row more than a page tells whether there is a next.

Counting every published piece (or every match of a search) costs more than the page itself
once the library is large, and the pages only link to the newer and the older page.
"""

from dataclasses import dataclass, field


@dataclass
class Page:
    object_list: list = field(default_factory=list)
    number: int = 1
    has_next: bool = False

    def __iter__(self):
        return iter(self.object_list)

    def __len__(self) -> int:
        return len(self.object_list)

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_other_pages(self) -> bool:
        return self.has_previous or self.has_next

    @property
    def next_page_number(self) -> int:
        return self.number + 1

    @property
    def previous_page_number(self) -> int:
        return self.number - 1


def page_number(value) -> int:
    try:
        return max(1, min(int(value), 10_000))
    except (TypeError, ValueError):
        return 1


def page_of(rows, number, *, size: int) -> Page:
    """Page `number` (from 1; anything else is 1) of `rows`, a queryset or a list."""
    number = page_number(number)
    start = (number - 1) * size
    fetched = list(rows[start : start + size + 1])
    return Page(fetched[:size], number, has_next=len(fetched) > size)
