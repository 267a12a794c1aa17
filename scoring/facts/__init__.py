"""Facts a careful reader notes about a page, one module per family; `gather.build_facts` collects them all."""
