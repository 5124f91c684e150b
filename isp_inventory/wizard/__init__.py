from . import isp_picking_reject_wizard
from . import isp_install_wizard
from . import isp_return_wizard
from . import isp_loss_reject_wizard
from . import isp_stock_count_reject_wizard
from . import isp_swap_wizard
