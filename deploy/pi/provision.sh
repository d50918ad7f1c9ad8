#!/usr/bin/env bash
# Turns a fresh Raspberry Pi OS (bookworm) into a Sangfroid edge device. See --help and
# docs/technician.md. Safe to run again: a second run changes nothing.
set -euo pipefail

readonly AGENT_PACKAGE=sangfroid-agent
readonly DATA_DIR=/var/lib/sangfroid
readonly MARK="Sangfroid edge device (deploy/pi/provision.sh)"
# The bcm2835 watchdog cannot count longer than about 15 s: stay below.
readonly WATCHDOG_SEC=14s
readonly OVERLAY_TOKEN="overlayroot=tmpfs:recurse=0"

usage() {
  cat <<'EOF'
Usage: sudo ./provision.sh [OPTIONS]

Turns a fresh Raspberry Pi OS (bookworm) into a Sangfroid edge device:
  - 1-Wire on GPIO4 (DS18B20 probes), SPI and I2C, in /boot/firmware/config.txt
    (or /boot/config.txt on older images);
  - the hardware watchdog: the board resets itself if the system hangs;
  - time synchronisation with systemd-timesyncd (optionally with your NTP server);
  - the sangfroid-agent package;
  - optionally a read-only root file system (overlayfs), with the data partition
    (/var/lib/sangfroid, where readings wait for the gateway) kept writable.
Running it again changes nothing. Reboot afterwards to apply the boot settings.

Options:
  --deb FILE         the agent package to install (default: the newest
                     sangfroid-agent_*.deb in the current folder, else next to this script)
  --skip-package     configure the board only; install the package later
  --ntp SERVER       use this NTP server (name or address) instead of the defaults
  --read-only-root   make the root file system read-only (overlayfs, lost at each
                     reboot) and mount the data partition on /var/lib/sangfroid
  --data-device DEV  the data partition for --read-only-root, as in /etc/fstab
                     (default: LABEL=sangfroid-data)
  --dry-run          print what would change, change nothing
  --root DIR         work on a folder that stands in for the Pi's root file system
                     (e.g. an SD card mounted on a PC): every path is taken inside DIR;
                     commands that act on the running system (apt-get, systemctl,
                     raspi-config) are printed, not run
  -h, --help         this help

Exit codes: 0 done (or nothing to do), 1 failed, 2 bad command line.
EOF
}

die() {
  printf 'provision.sh: %s\n' "$*" >&2
  exit 1
}

bad_usage() {
  printf 'provision.sh: %s\nRun ./provision.sh --help for the options.\n' "$*" >&2
  exit 2
}

# ---- command line ----

root=""
dry_run=false
deb=""
skip_package=false
ntp=""
read_only_root=false
data_device="LABEL=sangfroid-data"

need_value() {
  if [[ $# -lt 2 || -z $2 || $2 == --* ]]; then
    bad_usage "$1 needs a value"
  fi
}

args=("$@")
while [[ $# -gt 0 ]]; do
  case $1 in
    -h | --help)
      usage
      exit 0
      ;;
    --root)
      need_value "$@"
      root=$2
      shift 2
      ;;
    --dry-run)
      dry_run=true
      shift
      ;;
    --deb)
      need_value "$@"
      deb=$2
      shift 2
      ;;
    --skip-package)
      skip_package=true
      shift
      ;;
    --ntp)
      need_value "$@"
      ntp=$2
      shift 2
      ;;
    --read-only-root)
      read_only_root=true
      shift
      ;;
    --data-device)
      need_value "$@"
      data_device=$2
      shift 2
      ;;
    *)
      bad_usage "unknown option [$1]"
      ;;
  esac
done

if [[ -n $root ]]; then
  [[ -d $root ]] || bad_usage "--root [$root] must be an existing folder"
  root=$(cd "$root" && pwd -P)
  [[ $root == / ]] && root=""
fi
# Commands act on the running system only when we are on it and not in a dry run.
live=true
if [[ -n $root ]] || $dry_run; then
  live=false
fi

if [[ -n $ntp && ! $ntp =~ ^[A-Za-z0-9]([A-Za-z0-9.:-]*[A-Za-z0-9])?$ ]]; then
  bad_usage "--ntp [$ntp] must be a host name or an address, such as ntp.example.org or 192.0.2.10"
fi
if [[ $data_device =~ [[:space:]] || -z $data_device ]]; then
  bad_usage "--data-device [$data_device] must be a device as written in /etc/fstab, such as LABEL=sangfroid-data or /dev/sda1"
fi
if [[ -n $deb ]] && $skip_package; then
  bad_usage "--deb and --skip-package cannot be used together"
fi
if [[ -n $deb && ! -f $deb ]]; then
  bad_usage "--deb [$deb]: no such file"
fi
if $live; then
  export DEBIAN_FRONTEND=noninteractive
fi
if $live && [[ $EUID -ne 0 ]]; then
  die "run as root: sudo $0 ${args[*]} (or add --dry-run to only see what would change)"
fi

# ---- helpers ----

changes=0
reboot_needed=false

# The path of $1 (an absolute path on the Pi) in the tree we work on.
at() {
  printf '%s%s' "$root" "$1"
}

say() {
  printf '%s\n' "$*"
}

# Runs a command on the live system, or prints it.
run() {
  if $live; then
    say "run: $*"
    "$@"
  else
    say "would run: $*"
  fi
}

# The content of file $1 (empty if it does not exist), as $(...) gives it: without its
# trailing newlines.
content_of() {
  if [[ -f $1 ]]; then
    cat -- "$1"
  fi
}

# Writes $2 (exact content) to the Pi path $1 unless it already holds exactly that; $3 says why.
# Returns 0 when it changed (or would change) the file, 1 when it was already right.
put_file() {
  local target content=$2 why=$3 tmp
  target=$(at "$1")
  if [[ -f $target ]] && cmp -s -- "$target" <(printf '%s' "$content"); then
    return 1
  fi
  changes=$((changes + 1))
  if $dry_run; then
    say "would change: $1: $why"
    return 0
  fi
  mkdir -p -- "$(dirname -- "$target")"
  tmp="$target.sangfroid-new"
  printf '%s' "$content" >"$tmp"
  if [[ -f $target ]]; then
    # Keep the mode of the file we replace (FAT boot partitions ignore this).
    chmod --reference="$target" -- "$tmp" 2>/dev/null || true
  fi
  mv -f -- "$tmp" "$target"
  say "changed: $1: $why"
  return 0
}

# Keeps a copy of the Pi path $1 as it was before our first change, once.
keep_original() {
  local target
  target=$(at "$1")
  if [[ -f $target && ! -e "$target.before-sangfroid" ]] && ! $dry_run; then
    cp -p -- "$target" "$target.before-sangfroid"
  fi
}

# True when file $1 has an uncommented line equal to $2 (spaces around it ignored).
has_active_line() {
  [[ -f $1 ]] && awk -v want="$2" '
    { line = $0; gsub(/^[ \t]+|[ \t\r]+$/, "", line); if (line == want) found = 1 }
    END { exit !found }' "$1"
}

# ---- 1. boot configuration: 1-Wire, SPI, I2C, watchdog ----

boot_config() {
  local config settings=() missing=() line file text w1
  if [[ -f $(at /boot/firmware/config.txt) ]]; then
    config=/boot/firmware/config.txt
  elif [[ -f $(at /boot/config.txt) ]]; then
    config=/boot/config.txt
  else
    die "no /boot/firmware/config.txt nor /boot/config.txt under [${root:-/}]: is this Raspberry Pi OS?"
  fi
  file=$(at "$config")
  settings=(
    "dtoverlay=w1-gpio,gpiopin=4"
    "dtparam=spi=on"
    "dtparam=i2c_arm=on"
    "dtparam=watchdog=on"
  )
  for line in "${settings[@]}"; do
    if has_active_line "$file" "$line"; then
      continue
    fi
    if [[ $line == dtoverlay=w1-gpio* ]]; then
      w1=$(grep -E '^[[:space:]]*dtoverlay=w1-gpio' -- "$file" | head -n 1 || true)
      if [[ -n $w1 ]]; then
        say "note: $config already loads [$w1]; left as it is. Sangfroid's wiring guide uses GPIO4."
        continue
      fi
    fi
    missing+=("$line")
  done
  if [[ ${#missing[@]} -eq 0 ]]; then
    return 0
  fi
  text=$(content_of "$file")
  if [[ -n $text && $text != *$'\n' ]]; then
    text+=$'\n'
  fi
  text+=$'\n'"# $MARK: 1-Wire probes on GPIO4, SPI, I2C, hardware watchdog."$'\n'"[all]"$'\n'
  for line in "${missing[@]}"; do
    text+="$line"$'\n'
  done
  keep_original "$config"
  put_file "$config" "$text" "added ${missing[*]}" && reboot_needed=true
  return 0
}

# ---- 2. systemd feeds the hardware watchdog ----

watchdog() {
  local text
  text="# $MARK.
# systemd feeds the Raspberry Pi's hardware watchdog; if the system hangs for longer than
# RuntimeWatchdogSec, the board resets itself and the agent starts again.
[Manager]
RuntimeWatchdogSec=$WATCHDOG_SEC
RebootWatchdogSec=2min
"
  if put_file /etc/systemd/system.conf.d/sangfroid-watchdog.conf "$text" "hardware watchdog fed by systemd (RuntimeWatchdogSec=$WATCHDOG_SEC)"; then
    run systemctl daemon-reexec
  fi
}

# ---- 3. time synchronisation ----

time_sync() {
  local text changed=false
  if [[ ! -e $(at /lib/systemd/system/systemd-timesyncd.service) && ! -e $(at /usr/lib/systemd/system/systemd-timesyncd.service) ]]; then
    run apt-get install -y systemd-timesyncd
  fi
  if [[ -n $ntp ]]; then
    text="# $MARK.
[Time]
NTP=$ntp
"
    if put_file /etc/systemd/timesyncd.conf.d/sangfroid-ntp.conf "$text" "NTP server $ntp"; then
      changed=true
    fi
  fi
  run systemctl enable --now systemd-timesyncd.service
  if $changed; then
    run systemctl restart systemd-timesyncd.service
  fi
}

# ---- 4. the agent package ----

find_package() {
  local here candidates=()
  if [[ -n $deb ]]; then
    printf '%s' "$(cd "$(dirname -- "$deb")" && pwd -P)/$(basename -- "$deb")"
    return 0
  fi
  here=$(cd "$(dirname -- "${BASH_SOURCE[0]}")" && pwd -P)
  for dir in "$PWD" "$here"; do
    mapfile -t candidates < <(compgen -G "$dir/${AGENT_PACKAGE}_*.deb" | sort -V)
    if [[ ${#candidates[@]} -gt 0 ]]; then
      printf '%s' "${candidates[-1]}"
      return 0
    fi
  done
  return 1
}

package() {
  local file=$1 version installed
  if $skip_package; then
    say "skipped: the $AGENT_PACKAGE package (--skip-package)"
    return 0
  fi
  if $live; then
    version=$(dpkg-deb --field "$file" Version)
    installed=$(dpkg-query --showformat='${Version}' --show "$AGENT_PACKAGE" 2>/dev/null || true)
    if [[ $installed == "$version" ]]; then
      say "ok: $AGENT_PACKAGE $version is installed"
      return 0
    fi
    run apt-get update
  fi
  run apt-get install -y "$file"
}

# ---- 5. read-only root, writable data partition ----

read_only() {
  local cmdline fstab text line token found=false tokens=() out=()
  if [[ -f $(at /boot/firmware/cmdline.txt) ]]; then
    cmdline=/boot/firmware/cmdline.txt
  elif [[ -f $(at /boot/cmdline.txt) ]]; then
    cmdline=/boot/cmdline.txt
  else
    die "no /boot/firmware/cmdline.txt nor /boot/cmdline.txt under [${root:-/}]"
  fi

  # The data partition first: once the root is read-only, only it keeps the outbox.
  fstab=/etc/fstab
  if [[ -f "$(at "$fstab")" ]] && awk -v d="$DATA_DIR" '$1 !~ /^#/ && $2 == d { found = 1 } END { exit !found }' "$(at "$fstab")"; then
    : # already mounted from fstab; keep the operator's choice
  else
    text=$(content_of "$(at "$fstab")")
    if [[ -n $text && $text != *$'\n' ]]; then
      text+=$'\n'
    fi
    text+="# $MARK: readings wait here until the gateway has them; stays writable."$'\n'
    text+="$data_device  $DATA_DIR  ext4  defaults,noatime,nofail,x-systemd.device-timeout=30s  0  2"$'\n'
    keep_original "$fstab"
    put_file "$fstab" "$text" "mount $data_device on $DATA_DIR" && reboot_needed=true
  fi
  if ! $dry_run; then
    mkdir -p -- "$(at "$DATA_DIR")"
  fi
  text="# $MARK.
# With a read-only root, the agent must write its outbox on the data partition only:
# without it, it does not start (and the gateway reports the agent silent).
[Unit]
RequiresMountsFor=$DATA_DIR
"
  put_file /etc/systemd/system/sangfroid-agent.service.d/sangfroid-data.conf "$text" \
    "agent starts only with $DATA_DIR mounted" && run systemctl daemon-reload
  if $live && [[ $data_device == LABEL=* ]] && ! blkid -L "${data_device#LABEL=}" >/dev/null 2>&1; then
    say "WARNING: no partition labelled ${data_device#LABEL=} yet: create it (docs/technician.md) or the agent will not start."
  fi

  # Then the overlay. raspi-config installs overlayroot and rebuilds the initramfs; the
  # recurse=0 flag keeps the data partition out of the overlay (writable, kept at reboot).
  keep_original "$cmdline"
  text=$(content_of "$(at "$cmdline")")
  read -r -a tokens <<<"$text"
  found=false
  for token in "${tokens[@]}"; do
    if [[ $token == overlayroot=* ]]; then
      found=true
    fi
  done
  if ! $found; then
    run raspi-config nonint do_overlayfs 0
    # It adds its own overlayroot= setting: read the line again, then make it ours.
    text=$(content_of "$(at "$cmdline")")
    read -r -a tokens <<<"$text"
  fi
  out=()
  found=false
  for token in "${tokens[@]}"; do
    if [[ $token == overlayroot=* ]]; then
      if ! $found; then
        out+=("$OVERLAY_TOKEN")
      fi
      found=true
    else
      out+=("$token")
    fi
  done
  if ! $found; then
    out=("$OVERLAY_TOKEN" "${out[@]}")
  fi
  line="${out[*]}"
  put_file "$cmdline" "$line"$'\n' "read-only root ($OVERLAY_TOKEN)" && reboot_needed=true
  return 0
}

# ---- main ----

mode=""
if $dry_run; then
  mode=" (dry run: nothing is changed)"
fi
if [[ -n $root ]]; then
  say "Provisioning the Raspberry Pi root folder $root$mode"
else
  say "Provisioning this Raspberry Pi$mode"
fi
# Find the package before changing anything: a missing one stops here.
package_file=""
if ! $skip_package && ! package_file=$(find_package); then
  die "no ${AGENT_PACKAGE}_*.deb in $PWD nor next to this script: copy it there, pass --deb FILE, or --skip-package"
fi
boot_config
watchdog
time_sync
package "$package_file"
if $read_only_root; then
  read_only
fi

if [[ $changes -eq 0 ]]; then
  say "Nothing to change: this device is already provisioned."
elif $dry_run; then
  say "$changes file(s) would change."
else
  say "$changes file(s) changed."
fi
if ! $live; then
  say "The 'would run' lines are commands for the running Pi: none of them was run."
fi
if $reboot_needed && ! $dry_run; then
  say "Reboot to apply the boot settings: sudo reboot"
fi
say "Next: sangfroid-agent discover, write the probe ids into /etc/sangfroid/agent.yaml,"
say "      sangfroid-agent check-config /etc/sangfroid/agent.yaml, sudo systemctl restart sangfroid-agent"
