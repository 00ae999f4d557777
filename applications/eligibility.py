"""Checks a company must pass before it may apply, beyond the application itself."""

from declarations import selectors as declarations


def company_has_registered_declaration(company_id: int) -> bool:
    """Whether the company holds a registered promotion declaration (推進宣言) in force today."""
    return declarations.company_has_registered_declaration(company_id)
