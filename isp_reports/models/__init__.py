from . import isp_kpi
from . import isp_kpi_dashboard
from . import res_company
from . import res_config_settings
