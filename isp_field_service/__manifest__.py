{
    "name": "ISP Field Service",
    "version": "19.0.1.5.0",
    "summary": "Job cards on project tasks with materials: suggest, issue, confirm usage, "
    "return or carry forward, install CPE",
    "category": "Services/Field Service",
    "author": "ISP Inventory for Odoo",
    "license": "LGPL-3",
    # sale_project: installed with them anyway (repair needs sale, project brings
    # project_account); named so that its sample data comes before the demo's clean-up
    "depends": [
        "isp_inventory",
        "project",
        "project_stock",
        "project_stock_account",
        "sale_project",
    ],
    "data": [
        "security/isp_field_service_security.xml",
        "security/ir.model.access.csv",
        "security/isp_field_service_company_security.xml",
        "data/isp_field_service_data.xml",
        "views/isp_job_type_views.xml",
        "views/stock_views.xml",
        "views/project_task_views.xml",
        "views/isp_job_complete_wizard_views.xml",
        "views/isp_stock_request_wizard_views.xml",
        "views/isp_spool_views.xml",
        "views/isp_field_service_menus.xml",
        "data/res_users_data.xml",
    ],
    "demo": [
        "demo/isp_odoo_samples_demo.xml",
        "demo/isp_job_type_demo.xml",
        "demo/isp_history_demo.xml",
        "demo/isp_field_service_demo.xml",
        "demo/isp_spool_demo.xml",
    ],
    "application": True,
}
