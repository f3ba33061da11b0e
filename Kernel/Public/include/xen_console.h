#ifndef XEN_CONSOLE_H
#define XEN_CONSOLE_H

/*
 * console_io(cmd, count, buffer): the hypervisor's own console, for early
 * output. write: the guest gives count bytes at buffer, the hypervisor
 * prints them. read: the hypervisor fills up to count bytes and returns how
 * many (here always 0: there is no console input yet).
 */
#define CONSOLEIO_write  0
#define CONSOLEIO_read   1

#endif
