{
    "name": "ISP Inventory Reports",
    "version": "19.0.1.0.0",
    "summary": "Stock aging, fast movers, technician consumption, loss and variance, "
    "cost per installation, inventory by region and branch, KPIs",
    "category": "Supply Chain/Inventory",
    "author": "ISP Inventory for Odoo",
    "license": "LGPL-3",
    "depends": ["isp_field_service"],
    "data": [
        "security/ir.model.access.csv",
        "security/isp_reports_security.xml",
        "views/isp_stock_region_report_views.xml",
        "views/isp_stock_aging_report_views.xml",
        "views/isp_technician_consumption_report_views.xml",
        "views/isp_loss_variance_report_views.xml",
        "views/isp_product_movement_report_views.xml",
        "views/isp_installation_cost_report_views.xml",
        "views/isp_reports_menus.xml",
    ],
}
