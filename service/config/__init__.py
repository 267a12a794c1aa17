"""Settings read from the environment: the service's (``settings``), the batches' (``batches``), and the error
both raise (``errors``)."""
