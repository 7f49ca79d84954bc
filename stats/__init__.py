"""Statistics: daily rollups kept up to date as results land, the five tabs and their downloads.

Named `stats`, not `statistics`, so as not to shadow the standard library module.
"""
