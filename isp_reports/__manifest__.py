{
    "name": "ISP Inventory Reports",
    "version": "19.0.1.0.0",
    "summary": "Stock aging, fast movers, technician consumption, loss and variance, "
    "cost per installation, inventory by region and branch, KPIs",
    "category": "Supply Chain/Inventory",
    "author": "ISP Inventory for Odoo",
    "license": "LGPL-3",
    "depends": ["isp_field_service"],
    "data": [],
    "installable": True,
}
