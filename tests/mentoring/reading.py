"""Reading a page as a person does, for assertions on wording that spans markup."""

import re


def page_text(response) -> str:
    """The page's text with its tags dropped and its spaces collapsed."""
    return " ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).split())
