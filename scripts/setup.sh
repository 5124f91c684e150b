#!/usr/bin/env bash
# Idempotent set-up of everything the project needs on a fresh Debian 12 machine:
# apt packages, PostgreSQL (running, with a role for this user), Odoo 19.0 unpacked
# from Debian sid into .cache/, a Python venv with pinned requirements, and a local
# Odoo config in .local/odoo.conf. Safe to run again; fast when everything is done.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CACHE="$ROOT/.cache"
ODOO_DIR="$CACHE/odoo"                       # unpacked odoo-19 .deb
ODOO_SITE="$ODOO_DIR/usr/lib/python3/dist-packages"
VENV="$ROOT/.venv"
LOCAL="$ROOT/.local"
PG_VERSION=15
ODOO_DEB_VERSION_PREFIX="19.0"

step() { printf '\n==> %s\n' "$*"; }
ok() { printf '    ok: %s\n' "$*"; }
die() { printf '\nERROR: %s\n' "$*" >&2; exit 1; }

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null || die "run as root or install sudo: apt packages must be installed"
    SUDO="sudo"
fi

APT_PACKAGES=(
    postgresql postgresql-client
    # files the odoo-19 package links to instead of vendoring them
    fonts-font-awesome fonts-roboto-unhinted fonts-ocr-b fonts-inconsolata
    libjs-jquery libjs-jquery-form libjs-underscore
    # PDF reports (their font: isp_inventory/static/src/report) and the browser tests
    wkhtmltopdf chromium fonts-dejavu-core
    # unpacking the .deb and building the venv
    dpkg-dev ca-certificates python3-venv libmagic1
    # the PgBouncer round of `make load` (it starts its own; Debian's service is unused)
    pgbouncer
)

as_postgres() {  # run a command as the postgres OS user, from a readable directory
    if [ -z "$SUDO" ]; then (cd / && runuser -u postgres -- "$@"); else (cd / && sudo -u postgres "$@"); fi
}

install_apt_packages() {
    step "apt packages"
    local missing=()
    for p in "${APT_PACKAGES[@]}"; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
    done
    if [ ${#missing[@]} -eq 0 ]; then ok "all installed"; return; fi
    echo "    installing: ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    $SUDO apt-get update -qq || die "apt-get update failed (is a Debian mirror reachable?)"
    $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null \
        || die "apt-get install failed for: ${missing[*]}"
    ok "installed ${#missing[@]} package(s)"
}

start_postgres() {
    step "PostgreSQL $PG_VERSION"
    command -v pg_ctlcluster >/dev/null || die "pg_ctlcluster not found: postgresql did not install"
    if ! pg_lsclusters -h 2>/dev/null | grep -q "^$PG_VERSION main"; then
        $SUDO pg_createcluster "$PG_VERSION" main >/dev/null || die "cannot create the PostgreSQL cluster"
    fi
    if ! pg_lsclusters -h | grep -q "^$PG_VERSION main .* online"; then
        $SUDO pg_ctlcluster "$PG_VERSION" main start || die "cannot start PostgreSQL $PG_VERSION"
    fi
    ok "cluster $PG_VERSION/main online"
    local me; me="$(id -un)"
    [ "$me" != "postgres" ] || die "Odoo refuses to run as the postgres role: use another user"
    if [ "$(as_postgres psql -tAc "SELECT 1 FROM pg_roles WHERE rolname='$me'")" != "1" ]; then
        as_postgres psql -qc "CREATE ROLE \"$me\" SUPERUSER LOGIN" || die "cannot create database role $me"
        ok "created database role $me"
    else
        ok "database role $me exists"
    fi
    # JIT compilation costs more than it saves on Odoo's queries: at 1M moves it added
    # 1.4 s to a 0.8 s report query (docs/DEPLOYMENT.md). Off for the role Odoo uses.
    if [ "$(as_postgres psql -tAc "SELECT 1 FROM pg_db_role_setting s JOIN pg_roles r ON r.oid = s.setrole WHERE r.rolname = '$me' AND s.setdatabase = 0 AND 'jit=off' = ANY(s.setconfig)")" != "1" ]; then
        as_postgres psql -qc "ALTER ROLE \"$me\" SET jit = off" || die "cannot set jit = off for role $me"
        ok "jit = off for role $me"
    fi
}

fetch_odoo() {
    step "Odoo $ODOO_DEB_VERSION_PREFIX (Debian sid package odoo-19, unpacked into .cache/odoo)"
    if [ -f "$ODOO_DIR/.complete" ]; then ok "already unpacked: $(cat "$ODOO_DIR/.complete")"; return; fi
    local apt_dir="$CACHE/apt-sid"
    mkdir -p "$apt_dir/lists/partial" "$apt_dir/cache/archives/partial" "$apt_dir/deb"
    local mirror
    mirror="$(awk '/^URIs:/{print $2; exit}' /etc/apt/sources.list.d/debian.sources 2>/dev/null || true)"
    [ -n "$mirror" ] || mirror="http://deb.debian.org/debian"
    cat >"$apt_dir/sid.sources" <<SRC
Types: deb
URIs: $mirror
Suites: sid
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRC
    local opts=(-o "Dir::Etc::sourcelist=$apt_dir/sid.sources" -o "Dir::Etc::sourceparts=-"
                -o "Dir::State::Lists=$apt_dir/lists" -o "Dir::Cache=$apt_dir/cache"
                -o "APT::Get::List-Cleanup=0" -o "Debug::NoLocking=1" -o "APT::Sandbox::User=root")
    echo "    apt-get update (sid, private lists)"
    apt-get "${opts[@]}" update -qq || die "cannot read the Debian sid index from $mirror"
    local version
    version="$(apt-cache "${opts[@]}" show odoo-19 2>/dev/null | awk '/^Version:/{print $2; exit}')"
    [ -n "$version" ] || die "Debian sid has no odoo-19 package on $mirror"
    case "$version" in "$ODOO_DEB_VERSION_PREFIX"*) ;; *) die "unexpected odoo-19 version $version";; esac
    echo "    downloading odoo-19 $version (~123 MB)"
    (cd "$apt_dir/deb" && rm -f odoo-19_*.deb && apt-get "${opts[@]}" download odoo-19 >/dev/null) \
        || die "download of odoo-19 failed"
    echo "    unpacking (~1.2 GB)"
    rm -rf "$ODOO_DIR.tmp" && mkdir -p "$ODOO_DIR.tmp"
    dpkg-deb -x "$apt_dir"/deb/odoo-19_*.deb "$ODOO_DIR.tmp" || die "cannot unpack the odoo-19 package"
    # The package replaces vendored JS/fonts by relative links into /usr/share; they
    # dangle outside /, so re-point each one to the absolute path it would have had.
    local fixed=0 link target abs
    while IFS= read -r -d '' link; do
        target="$(readlink "$link")"
        case "$target" in /*) continue;; esac
        abs="$(realpath -m "/${link#"$ODOO_DIR.tmp/"}/../$target")"
        ln -sfn "$abs" "$link"; fixed=$((fixed + 1))
    done < <(find "$ODOO_DIR.tmp" -type l -print0)
    rm -rf "$ODOO_DIR" && mv "$ODOO_DIR.tmp" "$ODOO_DIR"
    rm -f "$apt_dir"/deb/odoo-19_*.deb
    echo "$version" >"$ODOO_DIR/.complete"
    ok "odoo $version unpacked, $fixed symlinks re-pointed"
}

build_venv() {
    step "Python venv (.venv) with pinned requirements"
    local stamp="$VENV/.requirements.sha"
    local want; want="$(cat "$ROOT/requirements.txt" "$ROOT/requirements-dev.txt" | sha256sum | cut -c1-16)"
    if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ] && [ -x "$VENV/bin/python" ]; then
        ok "up to date"; return
    fi
    local py="${PYTHON:-python3}"
    "$py" -c 'import sys; sys.exit(not ((3, 10) <= sys.version_info[:2] <= (3, 13)))' \
        || die "$py is $("$py" --version 2>&1); Odoo 19 needs Python 3.10 to 3.13"
    [ -x "$VENV/bin/python" ] || "$py" -m venv "$VENV" || die "cannot create the venv"
    # (the filter hides this machine's pip.conf noise about absent local mirrors)
    if ! "$VENV/bin/pip" install -q --disable-pip-version-check -r "$ROOT/requirements.txt" \
        -r "$ROOT/requirements-dev.txt" 2>&1 | { grep -v "^WARNING: Location 'file:" || true; }; then
        die "pip install failed (see the messages above)"
    fi
    local site; site="$("$VENV/bin/python" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')"
    echo "$ODOO_SITE" >"$site/odoo19-debian.pth"
    "$VENV/bin/python" -c 'import odoo.release as r; assert r.version_info[0] == 19, r.version' \
        || die "odoo does not import from the venv"
    echo "$want" >"$stamp"
    ok "venv ready"
}

write_config() {
    # The local server differs from odoo.conf's production defaults on purpose: one
    # process (workers = 0: `make run` and the test server; the tests' server also
    # passes --workers 0), this machine's paths and database role, 127.0.0.1 only, no
    # dbfilter (run.sh and the tests pass --db-filter ^<db>$), and a random master
    # password generated once and kept in .local/odoo.conf (never "admin").
    step "local Odoo config (.local/odoo.conf)"
    mkdir -p "$LOCAL/data"
    local passwd=""
    if [ -f "$LOCAL/odoo.conf" ]; then
        passwd="$(sed -n 's/^admin_passwd *= *//p' "$LOCAL/odoo.conf" | head -n 1)"
    fi
    if [ -z "$passwd" ] || [ "$passwd" = "admin" ]; then
        passwd="$(od -An -N24 -tx1 /dev/urandom | tr -d ' \n')"
    fi
    sed -e "s#^addons_path.*#addons_path = $ODOO_SITE/odoo/addons,$ROOT#" \
        -e "s#^data_dir.*#data_dir = $LOCAL/data#" \
        -e "/^db_host/d" -e "/^db_port/d" -e "/^db_password/d" \
        -e "s#^db_user.*#db_user = $(id -un)#" \
        -e "s#^admin_passwd.*#admin_passwd = $passwd#" \
        -e "s#^http_interface.*#http_interface = 127.0.0.1#" \
        -e "s#^dbfilter.*#dbfilter = #" \
        -e "s#^workers.*#workers = 0#" \
        "$ROOT/odoo.conf" >"$LOCAL/odoo.conf.tmp"
    chmod 600 "$LOCAL/odoo.conf.tmp"
    mv "$LOCAL/odoo.conf.tmp" "$LOCAL/odoo.conf"
    ok "$LOCAL/odoo.conf (workers = 0, list_db = False, master password in the file)"
}

install_apt_packages
start_postgres
fetch_odoo
build_venv
write_config
step "setup complete"
