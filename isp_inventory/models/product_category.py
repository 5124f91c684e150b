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

    # Refurbishment (issue 12 point 3): the checklist items a unit of this category
    # must have ticked before it is graded (isp.refurbishment, all grades but scrap).
    isp_refurb_require_factory_reset = fields.Boolean(
        string="Refurbishment: Factory Reset Required", default=True
    )
    isp_refurb_require_cleaned = fields.Boolean(
        string="Refurbishment: Cleaning Required", default=True
    )
    isp_refurb_require_power_on_test = fields.Boolean(
        string="Refurbishment: Power-on Test Required", default=True
    )
    isp_refurb_require_firmware_noted = fields.Boolean(
        string="Refurbishment: Firmware Version Required",
        help="The firmware version must be written down before grading.",
    )
    isp_refurb_require_accessories_complete = fields.Boolean(
        string="Refurbishment: Complete Accessories Required",
        help="Power supply, cables and any other accessory must be back with the unit.",
    )
