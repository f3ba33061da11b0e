#ifndef XEN_XENBUS_H
#define XEN_XENBUS_H

/*
 * The states of a split device's two ends (Xen's io/xenbus.h). Each end
 * writes its own state, as decimal text, in the "state" node of its
 * XenStore directory (the frontend in /local/domain/N/device/TYPE/DEV,
 * the backend in /local/domain/B/backend/TYPE/N/DEV), and watches the
 * other end's. The toolstack creates both nodes with Initialising.
 */
enum xenbus_state {
    XenbusStateUnknown       = 0,   /* no node, or not readable */
    XenbusStateInitialising  = 1,   /* created, not yet set up */
    XenbusStateInitWait      = 2,   /* backend: features published, waiting for the frontend */
    XenbusStateInitialised   = 3,   /* frontend: ring and event channel published */
    XenbusStateConnected     = 4,   /* in service */
    XenbusStateClosing       = 5,   /* going down: the other end should close too */
    XenbusStateClosed        = 6,   /* done: resources released */
    XenbusStateReconfiguring = 7,   /* (network devices only) */
    XenbusStateReconfigured  = 8
};

#endif
