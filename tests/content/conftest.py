import pytest

from community.models import User
from tests.conftest import make_member, make_user


@pytest.fixture
def editor(db) -> User:
    """An editor who is also a member, writing in New York time."""
    user = make_user("editor@example.com", name="Edith Editor", groups=[User.EDITORS])
    make_member(user, company="Editorial Co")
    user.timezone = "America/New_York"
    user.save(update_fields=["timezone"])
    return user


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    """Uploaded covers go to a throwaway folder."""
    settings.MEDIA_ROOT = tmp_path / "media"
