from . import test_module_chain
