#!/bin/bash
# .deb post-remove for OMO Store Console: undoes build/linux/after-install.sh.
# ${executable} and ${sanitizedProductName} are electron-builder macros.

if type update-alternatives >/dev/null 2>&1; then
    update-alternatives --remove '${executable}' '/opt/${sanitizedProductName}/${executable}'
else
    rm -f '/usr/bin/${executable}'
fi

if [ -f /etc/udev/rules.d/70-omo-hid-scanner.rules ]; then
    rm -f /etc/udev/rules.d/70-omo-hid-scanner.rules
    if hash udevadm 2>/dev/null; then
        udevadm control --reload-rules || true
    fi
fi
