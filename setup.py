from setuptools import find_packages, setup

with open("README.rst", encoding="utf-8") as readme:
    long_description = readme.read()

setup(
    name="buildout_mirrors",
    version="1.0.0.dev0",
    description=(
        "zc.buildout extension, recipe and bootstrap.py that pick a live, "
        "up-to-date PyPI mirror and fail over when the index is down"
    ),
    long_description=long_description,
    long_description_content_type="text/x-rst",
    license="ZPL-2.1",
    classifiers=[
        "Framework :: Buildout",
        "Framework :: Buildout :: Extension",
        "Framework :: Buildout :: Recipe",
        "Programming Language :: Python :: 3",
        "Topic :: Software Development :: Build Tools",
        "Topic :: System :: Software Distribution",
    ],
    package_dir={"": "src"},
    packages=find_packages("src"),
    package_data={"buildout_mirrors": ["data/*.txt"]},
    python_requires=">=3.9",
    install_requires=[
        # Every generation Plone and Zope pin: 3.0.1 (Plone 6.0) to 6.x.
        "zc.buildout>=3.0.1,<7",
        "setuptools",
        "packaging",
        "zope.interface",
    ],
    extras_require={
        "test": [
            "pytest",
            "pytest-timeout",
            "pypiserver",
            "devpi-server",
            "zc.recipe.egg",
        ],
    },
    entry_points={
        "zc.buildout.extension": ["default = buildout_mirrors.extension:load"],
        "zc.buildout.unloadextension": ["default = buildout_mirrors.extension:unload"],
        "zc.buildout": [
            "default = buildout_mirrors.recipe:Recipe",
            "wheelhouse = buildout_mirrors.wheelhouse:Recipe",
        ],
        "console_scripts": ["buildout-mirrors = buildout_mirrors.cli:main"],
    },
    zip_safe=False,
)
