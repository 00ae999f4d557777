"""Checks a company must pass before it may apply, beyond the application itself."""


def company_has_registered_declaration(company_id: int) -> bool:
    """Whether the company holds a registered promotion declaration (推進宣言).

    The declaration programme plugs in here; until it exists no company holds one, so a round
    that requires a declaration refuses every submission with a clear message.
    """
    return False
