"""A real WordPress for the plugin's end-to-end test, from Debian's packages, with nothing left behind.

A temporary copy of /usr/share/wordpress with our own wp-config.php (Debian's reads /etc/wordpress), a fresh
MariaDB database and user of its own, WordPress installed from PHP (no network), the plugin copied in and
activated, and PHP's built-in web server on a free loopback port. ``.ci/run`` installs the packages.
"""

from __future__ import annotations

import os
import secrets
import shutil
import signal
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

WORDPRESS = Path(os.environ.get("HEALTHGEO_WORDPRESS", "/usr/share/wordpress"))
PLUGIN = Path(__file__).resolve().parents[1] / "integrations" / "wordpress" / "healthgeo"
ADMIN_USER = "redaction"
ADMIN_PASSWORD = "Mot-de-passe-de-test-" + secrets.token_hex(4)
LOCALE = "fr_FR"


def missing() -> str | None:
    """Why WordPress cannot run here, or None."""
    if not (WORDPRESS / "wp-load.php").exists():
        return f"WordPress is not installed ({WORDPRESS}/wp-load.php missing; apt-get install wordpress)"
    php = shutil.which("php")
    if php is None:
        return "PHP is not installed (apt-get install php-cli php-mysql)"
    modules = subprocess.run([php, "-m"], capture_output=True, text=True, timeout=60).stdout.lower().split()
    if "mysqli" not in modules:
        return "PHP's mysqli extension is missing (apt-get install php-mysql)"
    if shutil.which("mariadb") is None:
        return "MariaDB is not installed (apt-get install mariadb-server)"
    ping = subprocess.run(["mariadb", "-uroot", "-e", "SELECT 1"], capture_output=True, text=True, timeout=60)
    if ping.returncode != 0:
        return f"MariaDB does not answer to root ({ping.stderr.strip()[:200]}); start mariadbd"
    return None


def _sql(statement: str) -> None:
    subprocess.run(["mariadb", "-uroot", "-e", statement], check=True, capture_output=True, text=True, timeout=60)


def _copy_wordpress(target: Path) -> None:
    def ignore(folder: str, names: list[str]) -> set[str]:
        if Path(folder).name == "languages":  # only the French files: the rest weighs 30 MB
            return {n for n in names if LOCALE not in n}
        return {"wp-config.php", ".htaccess"} if Path(folder) == WORDPRESS else set()

    # Debian links its libraries in (underscore, getID3...): copies of their targets, so the copy stands alone.
    shutil.copytree(WORDPRESS, target, symlinks=False, ignore=ignore)
    shutil.copytree(PLUGIN, target / "wp-content" / "plugins" / "healthgeo")


_CONFIG = """<?php
define( 'DB_NAME', '{db}' );
define( 'DB_USER', '{db}' );
define( 'DB_PASSWORD', '{password}' );
define( 'DB_HOST', 'localhost' );
define( 'DB_CHARSET', 'utf8mb4' );
define( 'DB_COLLATE', '' );
define( 'WP_HOME', '{home}' );
define( 'WP_SITEURL', '{home}' );
define( 'WP_DEFAULT_THEME', 'twentytwentyone' );
define( 'WP_HTTP_BLOCK_EXTERNAL', true );   // tests never reach the internet; loopback stays allowed
define( 'DISABLE_WP_CRON', true );
define( 'AUTOMATIC_UPDATER_DISABLED', true );
define( 'WP_DEBUG', true );
define( 'WP_DEBUG_LOG', '{log}' );
define( 'WP_DEBUG_DISPLAY', false );
{salts}
$table_prefix = 'wp_';
if ( ! defined( 'ABSPATH' ) ) {{
	define( 'ABSPATH', __DIR__ . '/' );
}}
require_once ABSPATH . 'wp-settings.php';
"""

_INSTALL = """<?php
define( 'WP_INSTALLING', true );
require __DIR__ . '/wp-load.php';
require_once ABSPATH . 'wp-admin/includes/upgrade.php';
$result = wp_install( 'Santé pratique', '{user}', 'redaction@example.org', false, '', '{password}', '{locale}' );
update_option( 'permalink_structure', '' );
$user = get_user_by( 'login', '{user}' );
wp_update_user( array( 'ID' => $user->ID, 'first_name' => 'Claire', 'last_name' => 'Martin',
	'display_name' => 'Claire Martin', 'locale' => '{locale}' ) );
update_user_meta( $user->ID, 'wp_persisted_preferences', array(
	'core/edit-post' => array( 'welcomeGuide' => false, 'isComplementaryAreaVisible' => true ),
	'_modified'      => gmdate( 'c' ),
) );
echo 'installed ', $user->ID, "\\n";
"""

_ACTIVATE = """<?php
require __DIR__ . '/wp-load.php';
require_once ABSPATH . 'wp-admin/includes/plugin.php';
$error = activate_plugin( 'healthgeo/healthgeo.php' );
if ( is_wp_error( $error ) ) {{
	fwrite( STDERR, $error->get_error_message() );
	exit( 1 );
}}
switch_theme( 'twentytwentyone' );
update_option( 'healthgeo_settings', array(
	'api_url' => '{api_url}', 'api_key' => '{api_key}', 'threshold' => {threshold}, 'language' => 'auto',
	'mode' => 'block', 'unreachable' => 'publish', 'print_jsonld' => true, 'post_types' => array( 'post', 'page' ),
) );
echo 'active', "\\n";
"""


@dataclass
class WordPress:
    """One running WordPress; ``stop()`` removes everything it made."""

    root: Path
    port: int
    db: str
    password: str = field(repr=False)
    server: subprocess.Popen | None = None
    log: Path | None = None

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def php(self, code: str, name: str) -> str:
        script = self.root / f"healthgeo-{name}.php"
        script.write_text(code, encoding="utf-8")
        try:
            done = subprocess.run(["php", str(script)], cwd=self.root, capture_output=True, text=True, timeout=300,
                                  env={**os.environ, "HTTP_HOST": f"127.0.0.1:{self.port}"})
        finally:
            script.unlink()
        if done.returncode != 0:
            raise RuntimeError(f"php {name} failed: {done.stdout[-2000:]} {done.stderr[-2000:]}")
        return done.stdout

    def serve(self, seconds: float = 60) -> None:
        self.log = self.root.parent / "php-server.log"
        env = {**os.environ, "PHP_CLI_SERVER_WORKERS": "4"}  # the editor sends requests in parallel
        # Its own process group: with workers, php -S forks children that must be stopped with it.
        self.server = subprocess.Popen(["php", "-S", f"127.0.0.1:{self.port}", "-t", str(self.root)],
                                       cwd=self.root, env=env, stdout=self.log.open("wb"), stderr=subprocess.STDOUT,
                                       start_new_session=True)
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.server.poll() is not None:
                raise RuntimeError("php -S exited: " + self.log.read_text(errors="replace")[-2000:])
            try:
                with urllib.request.urlopen(self.base + "/wp-login.php", timeout=10) as resp:
                    if resp.status == 200:
                        return
            except (OSError, urllib.error.URLError):
                time.sleep(0.2)
        raise RuntimeError("WordPress did not answer in time")

    def debug_log(self) -> str:
        path = self.root.parent / "debug.log"
        return path.read_text(errors="replace") if path.exists() else ""

    def stop(self) -> None:
        if self.server is not None:
            group = self.server.pid  # the session leader's pid is its group id
            for sig in (signal.SIGTERM, signal.SIGKILL):
                try:
                    os.killpg(group, sig)
                except ProcessLookupError:
                    break
                try:
                    self.server.wait(timeout=30)
                    break
                except subprocess.TimeoutExpired:
                    continue
        try:
            _sql(f"DROP DATABASE IF EXISTS `{self.db}`; DROP USER IF EXISTS '{self.db}'@'localhost';")
        finally:
            shutil.rmtree(self.root.parent, ignore_errors=True)


def start_wordpress(port: int, api_url: str, api_key: str, threshold: int) -> WordPress:
    """Copy, configure, install, activate the plugin and serve WordPress on ``port``."""
    workdir = Path(tempfile.mkdtemp(prefix="healthgeo-wp-"))
    db = "healthgeo_wp_test_" + secrets.token_hex(4)
    wp = WordPress(workdir / "wordpress", port, db, secrets.token_hex(16))
    try:
        _copy_wordpress(wp.root)
        _sql(f"CREATE DATABASE `{db}` CHARACTER SET utf8mb4; CREATE USER '{db}'@'localhost' IDENTIFIED BY "
             f"'{wp.password}'; GRANT ALL ON `{db}`.* TO '{db}'@'localhost';")
        salts = "\n".join(f"define( '{name}', '{secrets.token_hex(32)}' );" for name in (
            "AUTH_KEY", "SECURE_AUTH_KEY", "LOGGED_IN_KEY", "NONCE_KEY", "AUTH_SALT", "SECURE_AUTH_SALT",
            "LOGGED_IN_SALT", "NONCE_SALT"))
        (wp.root / "wp-config.php").write_text(_CONFIG.format(db=db, password=wp.password, home=wp.base, salts=salts,
                                                              log=workdir / "debug.log"), encoding="utf-8")
        wp.php(_INSTALL.format(user=ADMIN_USER, password=ADMIN_PASSWORD, locale=LOCALE), "install")
        wp.php(_ACTIVATE.format(api_url=api_url, api_key=api_key, threshold=threshold), "activate")
        wp.serve()
    except BaseException:
        wp.stop()
        raise
    return wp
