"""The code an authenticator app would show right now.

A code is valid for one 30-second time step only (MFA_TOTP_TOLERANCE is 0),
so a code read in the last seconds of a step may be refused by the time the
server checks it. The helper waits for the next step in that case. Under a
frozen clock (time_machine without tick) the wait is a plain sleep."""

import time

from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

STEP_SECONDS = 30


def current_totp(secret: str, margin: float = 5) -> str:
    left_in_step = STEP_SECONDS - time.time() % STEP_SECONDS
    if left_in_step < margin:
        time.sleep(left_in_step + 0.1)
    return format_hotp_value(hotp_value(secret, int(time.time()) // STEP_SECONDS))
