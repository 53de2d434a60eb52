"""The rate table the admin maintains, so that pay seen in another currency is converted only at a
stated, dated rate (docs/similar-searches.md, "Pay in another currency")."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from homestretch.lib.money import currency_choices


class ExchangeRate(models.Model):
    """1 `from_currency` = `rate` `to_currency`, stated from `valid_from` on.

    Kept by an admin in the back office, never fetched: a figure someone chose and can name. A rate is
    used for pay seen on a day on or after `valid_from` and within a year of it (similar.rates).
    """

    from_currency = models.CharField(max_length=3, choices=currency_choices())
    to_currency = models.CharField(max_length=3, choices=currency_choices())
    rate = models.DecimalField(max_digits=18, decimal_places=8,
                               help_text="How many units of the second currency one unit of the first is worth")
    valid_from = models.DateField(help_text="The day the rate holds from (the source's date)")
    source = models.CharField(max_length=200, blank=True, help_text="Where it comes from, e.g. ECB reference rate")
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    entered_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["from_currency", "to_currency", "-valid_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["from_currency", "to_currency", "valid_from"], name="exchange_rate_one_per_day",
                violation_error_message="There is already a rate for these currencies from this day.",
            ),
            models.CheckConstraint(
                condition=~models.Q(from_currency=models.F("to_currency")), name="exchange_rate_two_currencies",
                violation_error_message="A rate converts one currency into another: choose two different ones.",
            ),
            models.CheckConstraint(
                condition=models.Q(rate__gt=0), name="exchange_rate_positive",
                violation_error_message="A rate is a positive number.",
            ),
        ]

    def __str__(self) -> str:
        return f"1 {self.from_currency} = {self.rate.normalize():f} {self.to_currency} from {self.valid_from}"
