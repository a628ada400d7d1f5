from django import template

from shop_accounts.identity.devices import device_name as name_of_device

register = template.Library()


@register.filter
def device_name(user_agent: str) -> str:
    return name_of_device(user_agent)
