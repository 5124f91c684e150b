{
    "name": "ISP Inventory",
    "version": "19.0.1.0.0",
    "summary": "ISP stock: item classes, branches and regions, technician vans and kits, "
    "approvals, serial/CPE lifecycle",
    "category": "Supply Chain/Inventory",
    "author": "ISP Inventory for Odoo",
    "license": "LGPL-3",
    "depends": ["stock", "purchase_stock", "stock_account", "maintenance", "repair"],
    "data": [
        "security/isp_inventory_security.xml",
        "security/ir.model.access.csv",
        "data/product_category_data.xml",
        "views/isp_region_views.xml",
        "views/isp_technician_views.xml",
        "views/stock_warehouse_views.xml",
        "views/product_category_views.xml",
        "wizard/isp_install_wizard_views.xml",
        "wizard/isp_return_wizard_views.xml",
        "views/stock_lot_views.xml",
        "views/product_template_views.xml",
        "views/isp_inventory_menus.xml",
    ],
    "demo": [
        "demo/isp_inventory_demo.xml",
    ],
    "application": True,
    "installable": True,
}
