#!/usr/bin/env bash
# Starts what the tests need on 127.0.0.1 only, in the scratch folder $MS:
#   - PostgreSQL, only when DATABASE_URL is unset and nothing listens on
#     $PG_USUAL_PORT (5432);
#   - Dovecot (IMAP + LMTP) and Postfix (SMTP, delivering to Dovecot; mail to
#     any domain but example.test lands in the capture@example.test mailbox).
# Writes $MS/env (variables for the tests) and $MS/pids (stop: mailstack-down.sh).
# Recipe: ../shared/MAILSTACK.md §1–§3, §7.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
: "${MS:?set MS to a scratch folder}"
IMAP_PORT=${IMAP_PORT:-10143} LMTP_PORT=${LMTP_PORT:-10024} SMTP_PORT=${SMTP_PORT:-10025} PG_PORT=${PG_PORT:-55432}
# The usual PostgreSQL port: when something listens there, the tests use it.
PG_USUAL_PORT=${PG_USUAL_PORT:-5432}

need=""
pgbin >/dev/null || need+=" postgresql postgresql-contrib"
[ -x /usr/lib/dovecot/imap ] || need+=" dovecot-imapd"
[ -x /usr/lib/dovecot/lmtp ] || need+=" dovecot-lmtpd"
[ -x /usr/sbin/postfix ] || need+=" postfix"
# shellcheck disable=SC2086
need_pkgs $need
[ "$(id -u)" = 0 ] || die "the mail stack (Dovecot, Postfix) must be started as root: run the tests with sudo"

[ -e "$MS/pids" ] && die "$MS/pids exists: stop the old stack first (scripts/mailstack-down.sh)"
mkdir -p "$MS" && chmod 755 "$MS"   # postfix and the mail uid must traverse it
: >"$MS/env"; : >"$MS/pids"

if [ -z "${DATABASE_URL:-}" ]; then
  if port_open "$PG_USUAL_PORT"; then
    echo "DATABASE_URL=postgres://postgres@127.0.0.1:$PG_USUAL_PORT/postgres?sslmode=disable" >>"$MS/env"
  else
    say "starting a throwaway PostgreSQL on 127.0.0.1:$PG_PORT"
    PGBIN=$(pgbin)
    id postgres >/dev/null 2>&1 || useradd -r -M -s /usr/sbin/nologin postgres
    install -d -o postgres -g postgres "$MS/pg"
    runuser -u postgres -- "$PGBIN/initdb" -D "$MS/pg/data" -U postgres -A trust -E UTF8 \
      --locale=C.UTF-8 --no-sync --no-instructions >"$MS/pg/initdb.log"
    runuser -u postgres -- "$PGBIN/pg_ctl" -D "$MS/pg/data" -l "$MS/pg/server.log" -w -t 30 -o \
      "-c listen_addresses=127.0.0.1 -p $PG_PORT -k $MS/pg -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
      start >/dev/null
    head -1 "$MS/pg/data/postmaster.pid" >>"$MS/pids"
    echo "DATABASE_URL=postgres://postgres@127.0.0.1:$PG_PORT/postgres?sslmode=disable" >>"$MS/env"
  fi
fi

D=$MS/dovecot
mkdir -p "$D" && install -d -o 5000 -g 5000 "$D/mail"
cat >"$D/users" <<USERS
support:{PLAIN}support-pass:5000:5000::$D/mail/support
capture:{PLAIN}capture-pass:5000:5000::$D/mail/capture
USERS
cat >"$D/dovecot.conf" <<CONF
base_dir = $D/run
state_dir = $D/state
log_path = $D/dovecot.log
instance_name = switchboard-$IMAP_PORT
protocols = imap lmtp
listen = 127.0.0.1
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
default_internal_user = dovecot
default_login_user = dovenull
first_valid_uid = 5000
last_valid_uid = 5000
mail_location = maildir:~/Maildir
hostname = mail.test
postmaster_address = postmaster@example.test
passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%n $D/users
}
userdb {
  driver = passwd-file
  args = username_format=%n $D/users
}
namespace inbox {
  inbox = yes
  separator = /
  mailbox Sent {
    auto = subscribe
    special_use = \\Sent
  }
}
service imap-login {
  inet_listener imap {
    address = 127.0.0.1
    port = $IMAP_PORT
  }
  inet_listener imaps {
    port = 0
  }
}
service lmtp {
  inet_listener lmtp {
    address = 127.0.0.1
    port = $LMTP_PORT
  }
}
CONF
# The dovecot master keeps stderr open: always redirect its stdio.
/usr/sbin/dovecot -c "$D/dovecot.conf" </dev/null >"$D/startup.log" 2>&1 || { cat "$D/startup.log" >&2; die "dovecot did not start"; }
waitport "$IMAP_PORT"; waitport "$LMTP_PORT"
cat "$D/run/master.pid" >>"$MS/pids"

P=$MS/postfix
mkdir -p "$P/etc" "$P/spool" && install -d -o postfix "$P/data"
cat >"$P/etc/main.cf" <<CONF
compatibility_level = 3.6
queue_directory = $P/spool
data_directory = $P/data
maillog_file = $P/maillog
maillog_file_prefixes = /tmp, $MS
myhostname = mail.test
mydomain = example.test
myorigin = example.test
inet_interfaces = 127.0.0.1
inet_protocols = ipv4
mynetworks = 127.0.0.0/8
mydestination =
local_transport = error:local delivery disabled
alias_maps =
alias_database =
virtual_mailbox_domains = example.test
virtual_transport = lmtp:inet:127.0.0.1:$LMTP_PORT
virtual_alias_domains =
virtual_alias_maps = regexp:$P/etc/virtual_regexp
smtpd_relay_restrictions = permit_mynetworks, reject_unauth_destination
smtputf8_enable = yes
smtpd_tls_security_level = none
smtp_tls_security_level = none
lmtp_tls_security_level = none
biff = no
CONF
printf '%s\n' '/^(.+@example\.test)$/  ${1}' '/.*/  capture@example.test' >"$P/etc/virtual_regexp"
cat >"$P/etc/master.cf" <<CONF
127.0.0.1:$SMTP_PORT inet n - n - - smtpd
pickup    unix  n - n 60 1 pickup
cleanup   unix  n - n -  0 cleanup
qmgr      unix  n - n 300 1 qmgr
rewrite   unix  - - n -  - trivial-rewrite
bounce    unix  - - n -  0 bounce
defer     unix  - - n -  0 bounce
trace     unix  - - n -  0 bounce
verify    unix  - - n -  1 verify
flush     unix  n - n 1000? 0 flush
proxymap  unix  - - n -  - proxymap
smtp      unix  - - n -  - smtp
relay     unix  - - n -  - smtp
showq     unix  n - n -  - showq
error     unix  - - n -  - error
retry     unix  - - n -  - error
discard   unix  - - n -  - discard
lmtp      unix  - - n -  - lmtp
anvil     unix  - - n -  1 anvil
scache    unix  - - n -  1 scache
postlog   unix-dgram n - n - 1 postlogd
CONF
# postfix prints its errors only to a tty or to maillog.
/usr/sbin/postfix -c "$P/etc" start </dev/null >"$P/startup.log" 2>&1 || { cat "$P/startup.log" "$P/maillog" >&2 2>/dev/null; die "postfix did not start"; }
waitport "$SMTP_PORT"
tr -d ' ' <"$P/spool/pid/master.pid" >>"$MS/pids"

cat >>"$MS/env" <<ENV
MAILSTACK_IMAP_ADDR=127.0.0.1:$IMAP_PORT
MAILSTACK_SMTP_ADDR=127.0.0.1:$SMTP_PORT
MAILSTACK_SUPPORT_USER=support
MAILSTACK_SUPPORT_PASSWORD=support-pass
MAILSTACK_CAPTURE_USER=capture
MAILSTACK_CAPTURE_PASSWORD=capture-pass
ENV
say "mail stack up in $MS (pids $(tr '\n' ' ' <"$MS/pids"))"
