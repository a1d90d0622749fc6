#!/bin/bash
# .deb post-install for OMO Store Console. Replaces electron-builder's default script (whose steps
# are repeated below: command link, chrome-sandbox mode, desktop database) and adds the udev rule
# for HID POS barcode scanners. ${executable} and ${sanitizedProductName} are electron-builder
# macros, filled in when the package is built.

APP_DIR='/opt/${sanitizedProductName}'

if type update-alternatives >/dev/null 2>&1; then
    update-alternatives --install '/usr/bin/${executable}' '${executable}' "$APP_DIR/${executable}" 100 \
        || ln -sf "$APP_DIR/${executable}" '/usr/bin/${executable}'
else
    ln -sf "$APP_DIR/${executable}" '/usr/bin/${executable}'
fi

# The SUID sandbox helper is only needed where unprivileged user namespaces are unavailable.
if ! { [[ -L /proc/self/ns/user ]] && unshare --user true; }; then
    chmod 4755 "$APP_DIR/chrome-sandbox" || true
else
    chmod 0755 "$APP_DIR/chrome-sandbox" || true
fi

if hash update-desktop-database 2>/dev/null; then
    update-desktop-database /usr/share/applications || true
fi

# HID POS scanners: install the rule, reload udev and re-trigger hidraw so a plugged-in scanner
# works without replugging. Failures must not fail the install (containers have no udev).
RULE_SOURCE="$APP_DIR/resources/udev/70-omo-hid-scanner.rules"
if [ -f "$RULE_SOURCE" ] && [ -d /etc/udev/rules.d ]; then
    install -m 0644 "$RULE_SOURCE" /etc/udev/rules.d/70-omo-hid-scanner.rules || true
    if hash udevadm 2>/dev/null; then
        udevadm control --reload-rules || true
        udevadm trigger --subsystem-match=hidraw || true
    fi
fi
