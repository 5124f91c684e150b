"""Before the unique index on serials (stock.lot `_isp_serial_unique`: product, name,
company) is created, refuse the upgrade if the database already holds duplicates: Odoo
would only log that it could not create the index, and the upgraded database would
silently lack it. The duplicates are listed so they can be merged or renamed first."""

from odoo.exceptions import UserError
from odoo.tools import SQL

DUPLICATES_QUERY = SQL(
    """
    SELECT lot.product_id, lot.name, lot.company_id, array_agg(lot.id ORDER BY lot.id)
      FROM stock_lot lot
     GROUP BY lot.product_id, lot.name, lot.company_id
    HAVING count(*) > 1
     ORDER BY lot.product_id, lot.name, lot.company_id
    """
)


def migrate(cr, version):
    if not version:
        return
    cr.execute(DUPLICATES_QUERY)
    duplicates = cr.fetchall()
    if duplicates:
        raise UserError(
            "ISP Inventory cannot be upgraded: the same serial/lot number is recorded "
            "more than once for a product (and company). Merge or rename these serials, "
            "then upgrade again:\n"
            + "\n".join(
                f" - product id {product_id}, serial {name!r}, company id "
                f"{company_id or 'none'}: stock.lot ids {', '.join(map(str, lot_ids))}"
                for product_id, name, company_id, lot_ids in duplicates
            )
        )
