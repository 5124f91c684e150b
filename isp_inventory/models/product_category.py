from odoo import fields, models

ISP_ITEM_CLASSES = [
    ("network", "Core Network Equipment"),
    ("cpe", "Customer Premises Equipment"),
    ("tool", "Tools"),
    ("consumable", "Consumables"),
    ("spare", "Spares & Repairs"),
]
# Classes whose every unit is tracked by serial number.
SERIAL_ITEM_CLASSES = ("network", "cpe", "tool", "spare")
# Classes whose transfers to a technician need an approver.
CONTROLLED_ITEM_CLASSES = ("network", "cpe")


class ProductCategory(models.Model):
    _inherit = "product.category"

    isp_item_class = fields.Selection(
        ISP_ITEM_CLASSES,
        string="ISP Item Class",
        help="How an ISP manages the products of this category: serial tracking for "
        "network equipment, CPE, tools and spares; FIFO and reordering for consumables.",
    )
