"""One validator per form: the cover it declares. Everything they share is in `base.py`; what each
cover asks is data in `fields.py`."""
from __future__ import annotations

from .base import DeclarationFormValidator
from .fields import IDENTIFICATION_FORM


class ValidateIdentificationForm(DeclarationFormValidator):
    """Policy number and date of birth only: before a claim status is shown."""

    form = IDENTIFICATION_FORM
    cover = None


class ValidateEcommerceForm(DeclarationFormValidator):
    """A parcel never delivered, or not as ordered."""

    form = "ecommerce_form"
    cover = "ecommerce"


class ValidateIdentityTheftForm(DeclarationFormValidator):
    form = "identity_theft_form"
    cover = "identity_theft"


class ValidateEReputationForm(DeclarationFormValidator):
    """Harassment, defamation, cyberbullying, compromising photos."""

    form = "e_reputation_form"
    cover = "e_reputation"


class ValidateDataRecoveryForm(DeclarationFormValidator):
    form = "data_recovery_form"
    cover = "data_recovery"


class ValidatePaymentFraudForm(DeclarationFormValidator):
    """Starts with first aid (block the card, call the bank, the police), then the declaration."""

    form = "payment_fraud_form"
    cover = "payment_fraud"
