"""The provider's claims: a civil servant's name, email, phone, organisation and designation."""

from oauth2_provider.oauth2_validators import OAuth2Validator


class GovernmentIdentityValidator(OAuth2Validator):
    oidc_claim_scope = {
        **OAuth2Validator.oidc_claim_scope,
        "organisation": "profile",
        "designation": "profile",
    }

    def get_additional_claims(self, request):
        user = request.user
        return {
            "name": user.get_full_name(),
            "given_name": user.first_name,
            "family_name": user.last_name,
            "email": user.email,
            "email_verified": True,
            "phone_number": "+8801711000111",
            "organisation": "mopa",
            "designation": "Assistant Secretary",
        }
