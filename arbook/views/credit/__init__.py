"""The credit notebooks' widgets: the application form, its decision, the discount program."""
