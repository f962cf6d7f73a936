"""Unit tests: reading simple-index project pages and their serials."""

import json

import pytest

from buildout_mirrors.index import pages

PAGE_URL = "https://mirror.example/simple/zc-buildout/"


def test_html_page_files_and_bandersnatch_serial():
    body = b"""<!DOCTYPE html><html><body>
    <a href="../../packages/zc.buildout-6.0.1.tar.gz#sha256=ab">zc.buildout-6.0.1.tar.gz</a>
    <a href="https://files.example/zc_buildout-6.0.1-py3-none-any.whl#sha256=cd"
       data-requires-python="&gt;=3.10">zc_buildout-6.0.1-py3-none-any.whl</a>
    <a href="/about">not a file</a>
    </body></html>
    <!--SERIAL 31337-->"""
    page = pages.parse(body, "text/html", PAGE_URL)
    assert page.serial == 31337
    assert page.files == {
        "zc.buildout-6.0.1.tar.gz":
            "https://mirror.example/packages/zc.buildout-6.0.1.tar.gz#sha256=ab",
        "zc_buildout-6.0.1-py3-none-any.whl":
            "https://files.example/zc_buildout-6.0.1-py3-none-any.whl#sha256=cd",
    }


def test_file_name_from_href_when_label_is_not_one():
    page = pages.parse(b'<a href="/p/six-1.16.0.tar.gz">download</a>',
                       "text/html", PAGE_URL)
    assert list(page.files) == ["six-1.16.0.tar.gz"]


def test_json_page_with_meta_serial_and_hash():
    body = json.dumps({"meta": {"api-version": "1.1", "_last-serial": 42},
                       "name": "zc-buildout", "files": [
                           {"filename": "zc_buildout-6.0.1-py3-none-any.whl",
                            "url": "/f/zc_buildout-6.0.1-py3-none-any.whl",
                            "hashes": {"sha256": "ef"}}]}).encode()
    page = pages.parse(body, pages.JSON_CONTENT_TYPE, PAGE_URL)
    assert page.serial == 42
    assert page.files == {"zc_buildout-6.0.1-py3-none-any.whl":
                          "https://mirror.example/f/zc_buildout-6.0.1-py3-"
                          "none-any.whl#sha256=ef"}


def test_header_serial_wins():
    page = pages.parse(b"<!--SERIAL 1-->", "text/html", PAGE_URL,
                       {"X-PyPI-Last-Serial": "99"})
    assert page.serial == 99


@pytest.mark.parametrize("body, content_type", [
    (b"\x00\xff garbage", "application/octet-stream"),
    (b"{not json", pages.JSON_CONTENT_TYPE),
    (b'{"files": 3}', pages.JSON_CONTENT_TYPE),
])
def test_garbage_is_a_page_error(body, content_type):
    with pytest.raises(pages.PageError):
        pages.parse(body, content_type, PAGE_URL)


def test_project_url_normalises_the_name():
    assert pages.project_url("https://m.example/simple/", "Zc_Buildout") == \
        "https://m.example/simple/zc-buildout/"


def test_serials_given_as_strings_are_read():
    page = pages.parse(b'{"meta": {"_last-serial": "42859575"}, "files": []}',
                       pages.JSON_CONTENT_TYPE, "https://m/simple/x/")
    assert page.serial == 42859575
    page = pages.parse(b'{"meta": {"_last-serial": true}, "files": []}',
                       pages.JSON_CONTENT_TYPE, "https://m/simple/x/")
    assert page.serial is None


def test_devpi_headers_give_the_replica_set_and_serial():
    from email.message import Message
    headers = Message()
    headers["x-devpi-serial"] = "42"  # lower case, as a proxy sends it
    headers["x-devpi-primary-uuid"] = "0123456789abcdef" * 2
    page = pages.parse(b"<a href='six-1.16.0.tar.gz'>x</a>", "text/html",
                       "https://m/simple/six/", headers)
    assert page.devpi == ("0123456789abcdef" * 2, 42)
    del headers["x-devpi-primary-uuid"]
    headers["x-devpi-primary-uuid"] = ""  # a replica that never synced
    assert pages.parse(b"<html></html>", "text/html", "https://m/simple/six/",
                       headers).devpi == ()
