"""The lms app's settings, with their defaults (docs/settings.md lists each one)."""

from foundation.app_settings import AppSettings

lms_settings = AppSettings(
    "lms",
    {
        # Days before an assignment's due date when the reminder goes out (lms.tasks.send_due_reminders).
        "LMS_REMINDER_DAYS": 7,
        # How often (seconds) an H5P activity saves a changed learner state ("content user data").
        "H5P_STATE_SAVE_SECONDS": 15,
        # xAPI statements forwarded to an external LRS; an empty URL forwards nothing.
        "XAPI_FORWARD_URL": "",
        "XAPI_FORWARD_USERNAME": "",
        "XAPI_FORWARD_PASSWORD": "",
        "XAPI_FORWARD_TIMEOUT": 10,
        # Celery's settings, read to tell a host site that tasks would go nowhere (lms.W002).
        "CELERY_TASK_ALWAYS_EAGER": False,
        "CELERY_BROKER_URL": "",
        # Accounts (lms.accounts, docs/accounts.md). Texts go through this backend: the console one
        # prints them; lms.accounts.sms.HttpGatewayBackend posts them to SMS_GATEWAY_URL.
        "SMS_BACKEND": "lms.accounts.sms.ConsoleBackend",
        "SMS_GATEWAY_URL": "",
        "SMS_GATEWAY_TOKEN": "",
        "SMS_GATEWAY_TIMEOUT": 10,
        "SMS_SENDER_ID": "",
        # Password resets asked for, per destination (email or number) and per client address.
        "ACCOUNTS_RESET_DESTINATION_RATE": "3/h",
        "ACCOUNTS_RESET_ADDRESS_RATE": "10/h",
        # Wrong passwords before sign-in waits, per account and per client address.
        "ACCOUNTS_SIGN_IN_ACCOUNT_RATE": "5/15m",
        "ACCOUNTS_SIGN_IN_ADDRESS_RATE": "30/15m",
        # A shared computer's session ends after this many idle seconds.
        "ACCOUNTS_SHARED_IDLE_SECONDS": 900,
        # How long an emailed link (reset, confirm a new address) and a texted code stay valid,
        # and how many wrong tries a code allows.
        "ACCOUNTS_LINK_SECONDS": 86400,
        "ACCOUNTS_CODE_SECONDS": 600,
        "ACCOUNTS_CODE_ATTEMPTS": 5,
    },
)
