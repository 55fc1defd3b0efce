package jurisdictions

default_age := 12
