from . import isp_kpi_wizard
from . import isp_report_export_wizard
