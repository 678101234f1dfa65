"""``manage.py check --deploy``: a production site must send its codes through a real SMS gateway."""

from django.core.checks import Warning, register

from lms.conf import lms_settings

DEVELOPMENT_BACKENDS = {"lms.accounts.sms.ConsoleBackend", "lms.accounts.sms.MemoryBackend"}


@register("accounts", deploy=True)
def sms_gateway_configured(app_configs, **kwargs):
    backend = lms_settings.SMS_BACKEND
    if backend in DEVELOPMENT_BACKENDS:
        return [
            Warning(
                f"SMS_BACKEND is {backend}: reset codes are not sent to anyone's phone.",
                hint="Set SMS_BACKEND=lms.accounts.sms.HttpGatewayBackend with SMS_GATEWAY_URL and SMS_GATEWAY_TOKEN.",
                id="accounts.W001",
            )
        ]
    if backend == "lms.accounts.sms.HttpGatewayBackend" and not (
        lms_settings.SMS_GATEWAY_URL and lms_settings.SMS_GATEWAY_TOKEN
    ):
        return [Warning("The SMS gateway needs SMS_GATEWAY_URL and SMS_GATEWAY_TOKEN.", id="accounts.W002")]
    return []
