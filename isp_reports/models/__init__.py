from . import isp_kpi
from . import isp_kpi_dashboard
from . import res_company
from . import res_config_settings
from . import stock_location
from . import stock_move
from . import stock_move_line
