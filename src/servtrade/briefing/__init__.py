"""Briefings: economy profiles that combine the observatory's figures with the rules in force.

This is a use-case layer (beside ``market.services``): it composes the ``stats`` and ``rules``
engines, which never import each other.
"""
