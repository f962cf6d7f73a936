"""Check that each recorded promise has a guard with teeth.

``.venv-test/bin/python tests/mutation.py [NAME ...]`` applies each
recorded mutant (one deliberate bug) to a copy of the code, runs the
guard that tests/README.rst names for it, restores the file from its
copy, and reports whether the guard failed (killed the mutant) and how
long it took.  Exit status 1 when a mutant survives or a guard took more
than 30 s.  The tree is always restored, even on Ctrl-C.
"""

import dataclasses
import os
import shutil
import subprocess
import sys
import tempfile
import time

CHECKOUT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PACKAGE = os.path.join("src", "buildout_mirrors")
LIMIT = 30.0  # seconds a guard may take to kill its mutant


@dataclasses.dataclass(frozen=True)
class Mutant:
    name: str
    path: str          # relative to src/buildout_mirrors
    before: str        # must occur exactly once
    after: str
    guard: str         # pytest node id(s), space-separated


MUTANTS = [
    Mutant("probe: Content-Type read case-sensitively", "index/index_client.py",
           'response.headers.get(\n            "Content-Type", "")',
           'dict(response.headers).get(\n            "Content-Type", "")',
           "tests/test_index_client.py::test_the_probe_reads_json_sent_with"
           "_a_lower_case_content_type"),
    Mutant("pip index: Content-Type read case-sensitively",
           "failover/pipproxy.py",
           'fetched.headers.get("Content-Type", "")',
           'dict(fetched.headers).get("Content-Type", "")',
           "tests/test_index_client.py::test_pips_index_passes_json_on_with"
           "_its_content_type_and_own_links"),
    Mutant("a dropped mirror asked again for a file", "failover/fetch.py",
           "if origin not in self.dropped:", "if True:",
           "tests/test_index_client.py::test_a_file_whose_listing_mirror_was"
           "_dropped_comes_from_another"),
    Mutant("the local index token checked by length only",
           "failover/pipproxy.py",
           'return hmac.compare_digest((header or "").encode("utf-8", '
           '"replace"),\n                                   self._expected)',
           'return len(header or "") == len(self._expected)',
           "tests/test_pipproxy.py::test_requests_without_the_token_are_not"
           "_found"),
    Mutant("the local index forwards any path", "failover/pipproxy.py",
           "            match = _PROJECT_PAGE.match(path)\n            if match:",
           "            match = path.startswith('/simple/')\n            if "
           "match:",
           "tests/test_pipproxy.py::test_only_the_paths_pip_asks_for_are"
           "_answered"),
    Mutant("PIP_FIND_LINKS no longer overridden for pip",
           "buildout/switch.py",
           'self._set_environ("PIP_FIND_LINKS", " ".join(self._find_links)\n'
           '                          or self._empty_directory())',
           "None",
           "tests/test_e2e_real_networks.py::test_users_pip_configuration_is"
           "_not_asked"),
    Mutant("bootstrap.py's hash check on pip's wheel off",
           "bootstrapping/environment.py",
           "index_client.check_hashes(stream, pages.fragment_hashes(url))",
           "index_client.check_hashes(stream, {})",
           "tests/test_index_client.py::test_bootstraps_pip_wheel_with_a"
           "_wrong_hash_is_refused"),
    Mutant("TLS verification off", "index/connection.py",
           "        return _CONTEXTS[key]",
           "        _CONTEXTS[key].check_hostname = False\n"
           "        _CONTEXTS[key].verify_mode = ssl.CERT_NONE\n"
           "        return _CONTEXTS[key]",
           "tests/test_e2e_real_networks.py::test_system_trust_store_is_used"),
    Mutant("MAX_FAILURES out of reach", "failover/mirror_book.py",
           "MAX_FAILURES = 2\n", "MAX_FAILURES = 1000\n",
           "tests/test_mirror_book.py::test_hard_failures_count_only_within"
           "_the_window"),
    Mutant("failures counted forever (no window)", "failover/mirror_book.py",
           "while failures and now - failures[0] > FAILURE_WINDOW:",
           "while False:",
           "tests/test_mirror_book.py::test_hard_failures_count_only_within"
           "_the_window"),
    Mutant("the failover order ignores preference", "failover/mirror_book.py",
           "ordered = ([first] if first in self.health else []) + [",
           "ordered = [] + [",
           "tests/test_mirror_book.py::test_a_preferred_mirror_that_answers"
           "_again_is_preferred_again tests/test_failover.py"),
    Mutant("a mirror silent while another serves stays in rotation",
           "failover/mirror_book.py",
           "                self._eject(mirror, reason, silent_only=True)\n\n"
           "    def _eject",
           "                pass\n\n    def _eject",
           "tests/test_mirror_book.py::test_a_mirror_silent_while_another"
           "_serves_is_ejected_at_once"),
    Mutant("the last mirror ejected for slowness", "failover/mirror_book.py",
           "if any(other != mirror and self._in_rotation(other)\n"
           "                   for other in self.candidates):",
           "if True:",
           "tests/test_mirror_book.py::test_the_last_mirror_is_never_ejected"
           "_for_silence"),
    Mutant("the launcher installs no extends guard",
           "buildout/launcher.py", "    ExtendsGuard().install()\n",
           "    ExtendsGuard()\n",
           "tests/test_e2e_extends.py::test_a_first_run_against_a_hanging"
           "_extends_host_fails_fast"),
    Mutant("the extends guard keeps no copy", "features/extends_guard.py",
           "        zc.buildout.download.Download.download = "
           "guarded_download\n", "",
           "tests/test_e2e_extends.py::test_the_launcher_reads_a_saved_copy"
           "_when_the_host_hangs"),
    Mutant("find-links credentials left in what buildout stores and shows",
           "buildout/extension.py",
           "            find_links = [urls.without_auth(link) for link in "
           "find_links]\n", "",
           "tests/test_e2e_real_networks.py::test_find_links_credentials_stay"
           "_in_files_and_headers"),
    Mutant("no second opinion on a file's hash", "failover/verified.py",
           "            self.opinion.check(name, expected, served_by)\n",
           "            pass\n",
           "tests/test_failover.py::test_a_tampering_mirror_is_caught_while_an"
           "_honest_one_is_live"),
    Mutant("a slow 404 from a warming cache taken as final",
           "failover/patience.py",
           "for _ in range(WARMING_RETRIES if slow else 0):",
           "for _ in range(0):",
           "tests/test_failover.py::test_a_cold_cache_answering_slow_404s_is"
           "_asked_again"),
    Mutant("a hashed file's redirect to another https host refused",
           "failover/exchange.py",
           'return target.startswith("https://") or \\\n',
           "return False or \\\n",
           "tests/test_failover.py::test_a_file_with_a_known_hash_follows_a"
           "_redirect_to_another_https_host "
           "tests/test_e2e_caching_proxies.py::test_a_cold_proxpi_as_the_only"
           "_mirror"),
    Mutant("a bandersnatch tree judged live", "selection/probe.py",
           "        if page.files and not any(", "        if False and not any(",
           "tests/test_e2e_faults.py::test_a_bandersnatch_tree_is_refused_at"
           "_the_probe_with_its_reason"),
    Mutant("a second opinion asked of a mirror not known to answer",
           "failover/second_opinion.py",
           "if mirror != first and mirror in self.book.known_live]",
           "if mirror != first]",
           "tests/test_failover.py::test_a_backup_not_known_to_answer_gives"
           "_no_opinion"),
    Mutant("the first-byte limit never learned", "failover/latency.py",
           "return min(timeout, max(FLOOR, FACTOR * self._average[mirror]))",
           "return timeout",
           "tests/test_mirror_book.py::test_the_first_byte_limit_is_learned"
           "_from_a_mirrors_answers"),
    Mutant("a typo'd option passes silently", "selection/option_names.py",
           "    check_names(section.keys())\n", "",
           "tests/test_options.py::test_an_option_that_looks_like_ours_stops"
           "_with_a_suggestion tests/test_e2e_operators.py::test_a_typod"
           "_option_stops_the_run_with_a_suggestion"),
    Mutant("the quadratic anchor regex of 1.0", "index/pages.py",
           '        label_end = text.find("<", end + 1)',
           '        label_end = text.find("</a>", end + 1)\n'
           '        label_end = label_end if label_end >= 0 else text.find('
           '"<", end + 1)',
           "tests/test_hostile_input.py::test_parsing_grows_linearly_with_the"
           "_page"),
    Mutant("redact by urlsplit (a raw / in a password shows)",
           "index/urls.py", '    at = rest.rfind("@")',
           '    at = rest.split("/", 1)[0].rfind("@")',
           "tests/test_hostile_input.py::test_redact_hides_everything_before"
           "_the_last_at"),
    Mutant("credentials by host and port, any scheme", "index/urls.py",
           "if userinfo is not None and origin(mirror) == wanted:",
           "if userinfo is not None and origin(mirror)[1] == wanted[1]:",
           "tests/test_hostile_input.py::test_credentials_go_only_to_their"
           "_own_scheme_host_and_port"),
    Mutant("NaN in the state file accepted", "store/state_fields.py",
           "return math.isfinite(value) and -LARGEST <= value <= LARGEST",
           "return True",
           "tests/test_hostile_input.py::test_a_record_with_an_absurd_number"
           "_costs_only_itself"),
    Mutant("the state folder trusted whoever made it", "store/paths.py",
           "    if stat.S_ISLNK(info.st_mode) or info.st_uid != os.getuid() "
           "or \\\n            info.st_mode & 0o002:",
           "    if False:",
           "tests/test_hostile_input.py::test_a_folder_writable_by_everyone"
           "_is_not_trusted"),
    Mutant("the lock file followed through a link", "store/files.py",
           '| getattr(os, "O_NOFOLLOW", 0), 0o600)', ", 0o600)",
           "tests/test_hostile_input.py::test_the_lock_file_is_never_followed"
           "_through_a_link"),
    Mutant("a known private project asked of the pool",
           "failover/private_route.py",
           "        if owners is not None:\n",
           "        if False:\n",
           "tests/test_private.py::test_a_learned_project_never_goes_public"
           "_while_its_index_is_down"),
    Mutant("a private page's file looked up on the public mirrors",
           "failover/fetch.py",
           "        if self.private and self.private.projects.owns_file(url):",
           "        if False:",
           "tests/test_private.py::test_a_private_file_that_fails_is_never"
           "_looked_up_publicly"),
    Mutant("a project the company serves taken from the first public mirror",
           "failover/private_route.py",
           "        for index in self.projects.to_ask(project):",
           "        for index in ():",
           "tests/test_private.py::test_a_project_the_company_serves_comes"
           "_from_the_company"),
    Mutant("a page redirected off the mirror counted as its failure",
           "failover/exchange.py",
           '            if accept == "*/*":  # a file',
           '            if True:  # a file',
           "tests/test_pipproxy.py::test_a_page_redirected_off_the_mirror_is"
           "_not_here_and_no_failure"),
    Mutant("the index of working parts switched with no mirror to rebuild "
           "them", "buildout/no_mirror.py",
           "    if not wanting:\n",
           "    if True:\n",
           "tests/test_e2e_operators.py::test_a_wrong_mirror_url_and_a_new"
           "_egg_leave_the_site_as_it_was"),
    Mutant("connections never kept alive", "index/transport.py",
           "kept = pool is not None and not response.will_close",
           "kept = False",
           "tests/test_lookahead.py::test_keep_alive_uses_one_connection_per"
           "_host"),
    Mutant("a kept connection the server closed fails the request",
           "index/transport.py", "            except _STALE:",
           "            except ():",
           "tests/test_lookahead.py::test_a_connection_the_server_closed"
           "_costs_nothing"),
    Mutant("an installed project fetched ahead anyway",
           "failover/lookahead.py",
           "            if self.have(name, self.pins[key]):\n"
           "                continue\n", "",
           "tests/test_lookahead.py::test_a_distribution_brings_its_pinned"
           "_requirements_ahead"),
    Mutant("a page still queued waited for", "failover/lookahead.py",
           "        if page and not page.cancel():",
           "        if page and not False:",
           "tests/test_lookahead.py::test_a_page_still_queued_is_given_up"
           "_and_fetched_at_once"),
]


def run_guard(mutant):
    started = time.monotonic()
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-x", "-q", "-p", "no:cacheprovider",
         "--timeout", str(int(LIMIT * 4))] + mutant.guard.split(),
        cwd=CHECKOUT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
        universal_newlines=True)
    return result.returncode, time.monotonic() - started, result.stdout


def check(mutant, backup_directory):
    path = os.path.join(CHECKOUT, PACKAGE, mutant.path)
    with open(path, encoding="utf-8") as stream:
        original = stream.read()
    if original.count(mutant.before) != 1:
        return "STALE", 0.0, "the code no longer holds the mutated text"
    backup = os.path.join(backup_directory, mutant.path.replace("/", "_"))
    shutil.copy2(path, backup)
    try:
        with open(path, "w", encoding="utf-8") as stream:
            stream.write(original.replace(mutant.before, mutant.after))
        code, seconds, output = run_guard(mutant)
    finally:
        shutil.copy2(backup, path)
    if code == 0:
        return "SURVIVED", seconds, output
    return ("KILLED" if seconds <= LIMIT else "SLOW"), seconds, output


def main(names):
    chosen = [mutant for mutant in MUTANTS
              if not names or any(name in mutant.name for name in names)]
    killed = 0
    with tempfile.TemporaryDirectory() as backups:
        for mutant in chosen:
            verdict, seconds, output = check(mutant, backups)
            killed += verdict == "KILLED"
            print("%-8s %5.1f s  %s" % (verdict, seconds, mutant.name))
            if verdict in ("SURVIVED", "STALE"):
                print("    guard: %s\n%s" % (mutant.guard, output[-1500:]))
    print("%d of %d mutants killed, each within %d s" % (
        killed, len(chosen), LIMIT))
    return 0 if killed == len(chosen) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
