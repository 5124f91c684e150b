{
    "name": "ISP Field Service",
    "version": "19.0.1.0.0",
    "summary": "Job cards on project tasks with materials: suggest, issue, confirm usage, "
    "return or carry forward, install CPE",
    "category": "Services/Field Service",
    "author": "ISP Inventory for Odoo",
    "license": "LGPL-3",
    "depends": ["isp_inventory", "project", "project_stock"],
    "data": [
        "security/isp_field_service_security.xml",
    ],
    "application": True,
    "installable": True,
}
