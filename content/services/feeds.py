"""The secret addresses of members' personal feeds."""

from django.db import transaction

from content.models import FeedToken
from content.models.people import new_feed_token


def feed_token_for(user) -> FeedToken:
    token, _ = FeedToken.objects.get_or_create(user=user)
    return token


@transaction.atomic
def reset_feed_token(user) -> FeedToken:
    """A new secret; the old address stops working at once."""
    token = feed_token_for(user)
    token.token = new_feed_token()
    token.save(update_fields=["token", "created_at"])
    return token
