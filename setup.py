from setuptools import find_packages, setup

with open("README.rst", encoding="utf-8") as readme:
    long_description = readme.read()

setup(
    name="buildout_mirrors",
    version="1.0.0",
    description=(
        "zc.buildout extension, recipe and bootstrap.py that pick a live, "
        "up-to-date PyPI mirror and fail over when the index is down"
    ),
    long_description=long_description,
    long_description_content_type="text/x-rst",
    license="ZPL-2.1",
    # Every Python of tests/stacks.py; Plone and Zope as README's table.
    classifiers=[
        "Development Status :: 5 - Production/Stable",
        "Environment :: Console",
        "Framework :: Buildout",
        "Framework :: Buildout :: Extension",
        "Framework :: Buildout :: Recipe",
        "Framework :: Plone",
        "Framework :: Plone :: 6.0",
        "Framework :: Plone :: 6.1",
        "Framework :: Zope",
        "Framework :: Zope :: 5",
        "Intended Audience :: Developers",
        "Intended Audience :: System Administrators",
        "Operating System :: POSIX",
        "Programming Language :: Python :: 3",
        "Programming Language :: Python :: 3 :: Only",
        "Programming Language :: Python :: 3.9",
        "Programming Language :: Python :: 3.10",
        "Programming Language :: Python :: 3.11",
        "Programming Language :: Python :: 3.12",
        "Programming Language :: Python :: 3.13",
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
        "zc.buildout.extension": [
            "default = buildout_mirrors.buildout.extension:load"],
        "zc.buildout.unloadextension": [
            "default = buildout_mirrors.buildout.extension:unload"],
        "zc.buildout": [
            "default = buildout_mirrors.features.recipe:Recipe",
            "wheelhouse = buildout_mirrors.features.wheelhouse:Recipe",
        ],
        "console_scripts": ["buildout-mirrors = buildout_mirrors.cli:main"],
        # Extension points (see buildout_mirrors.plugins): the built-in
        # policies are registered as a company's would be.
        "buildout_mirrors.policies": [
            "ordered = buildout_mirrors.selection.ranking:OrderedPolicy",
            "fastest = buildout_mirrors.selection.ranking:FastestPolicy",
        ],
    },
    zip_safe=False,
)
