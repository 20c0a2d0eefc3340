"""allauth's two-factor set-up, keeping the secret that is on the person's screen."""

from allauth.core import context
from allauth.mfa.totp import forms
from allauth.mfa.totp.internal.auth import SECRET_SESSION_KEY


class ActivateTOTPForm(forms.ActivateTOTPForm):
    """allauth's activation form, which keeps the pending secret when the page is loaded again.

    allauth makes a new secret on every GET of the activation page, so a reload, a second tab or
    anything else that loads the page again silently turns the QR code already scanned into one
    whose codes are all "incorrect". The secret stays in the session until it is activated.
    https://docs.allauth.org/en/latest/mfa/forms.html
    """

    def __init__(self, *args, **kwargs) -> None:
        shown = context.request.session.get(SECRET_SESSION_KEY)
        super().__init__(*args, **kwargs)
        if shown and not self.is_bound:
            self.secret = context.request.session[SECRET_SESSION_KEY] = shown
