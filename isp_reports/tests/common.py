from odoo.addons.isp_field_service.tests.common import IspFieldServiceCommon


class IspReportsCommon(IspFieldServiceCommon):
    """Report fixtures on top of the field-service ones."""
