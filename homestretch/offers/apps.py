from django.apps import AppConfig


class OffersConfig(AppConfig):
    name = "homestretch.offers"
    label = "offers"
    verbose_name = "Offers, competing offers and priorities"
