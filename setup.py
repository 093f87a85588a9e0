"""The build compiles the message catalogue: each ``arbook/locale/<lang>/LC_MESSAGES/arbook.po``
becomes its ``.mo`` in the built package (the metadata is all in pyproject.toml)."""

from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from setuptools import setup
from setuptools.command.build_py import build_py


class BuildWithCatalogue(build_py):
    def run(self):
        for po in Path("arbook/locale").glob("*/LC_MESSAGES/arbook.po"):
            with po.open("rb") as handle:
                catalog = read_po(handle, locale=po.parent.parent.name, domain="arbook")
            with po.with_suffix(".mo").open("wb") as handle:
                write_mo(handle, catalog)
        super().run()


setup(cmdclass={"build_py": BuildWithCatalogue})
