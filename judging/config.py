"""Default, non-secret settings. Secrets and the database URL come from instance/config.py or the
environment (see ``judging.create_app``)."""

import datetime as dt

from judging import formatting

# Sessions: a judge's session outlives a whole contest day.
PERMANENT_SESSION_LIFETIME = dt.timedelta(hours=36)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = False  # True behind HTTPS: set JUDGING_HTTPS=1
# The session cookie is written when it changes, not on every request (autosave traffic); it
# still lasts PERMANENT_SESSION_LIFETIME from sign-in, longer than any contest day.
SESSION_REFRESH_EACH_REQUEST = False
REMEMBER_COOKIE_HTTPONLY = True
REMEMBER_COOKIE_SAMESITE = "Lax"
REMEMBER_COOKIE_DURATION = dt.timedelta(hours=36)

WTF_CSRF_TIME_LIMIT = None  # the token lives as long as the session: no expiry mid-contest
WTF_CSRF_SSL_STRICT = False

BABEL_DEFAULT_LOCALE = "ko"
BABEL_DEFAULT_TIMEZONE = formatting.TIME_ZONE
LANGUAGES = ("ko", "en")

# Uploads (council attachments). Sizes in bytes.
UPLOAD_MAX_FILE_BYTES = 20 * 1024 * 1024
UPLOAD_MAX_ENTRY_BYTES = 100 * 1024 * 1024
# The request limit is a hard ceiling above the per-file limit; streaming checks do the real work.
MAX_CONTENT_LENGTH = 110 * 1024 * 1024

# Sign-in throttling: failures within the window, per account and per address.
SIGN_IN_WINDOW_SECONDS = 15 * 60
SIGN_IN_MAX_PER_ACCOUNT = 5
SIGN_IN_MAX_PER_ADDRESS = 20

# The judge's offline copy on the tablet: the entries' materials are stored in running order up to
# this many bytes (pages and the app itself are always stored).
JUDGE_OFFLINE_BUDGET_BYTES = 200 * 1024 * 1024

# Autosave flood guard: writes per judge per minute.
AUTOSAVE_MAX_PER_MINUTE = 240

# Audience voting (/v/<token>): submissions per address per minute. A whole hall may share one
# address behind the venue's Wi-Fi, so this is generous; failed look-ups (unknown cards) are far fewer.
VOTE_MAX_PER_MINUTE = 1200
VOTE_UNKNOWN_MAX_PER_MINUTE = 30

# Analytics: flag entries whose judge totals differ by more than this many points.
SPREAD_ALERT_POINTS = 15

# Public base URL used in QR codes and printed links when no request is at hand (CLI).
PUBLIC_BASE_URL = "http://127.0.0.1:5000"
