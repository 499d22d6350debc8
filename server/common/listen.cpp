// zai_native — the listening socket of both servers (see listen.h).
#include "listen.h"

#include <sys/socket.h>

#include <httplib.h>

namespace zai {

void record_listen_socket(httplib::Server& server, int* fd) {
    server.set_socket_options([fd](socket_t sock) {
        const int yes = 1;
        setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
        *fd = sock;  // httplib tries addresses in turn; the last socket it configures is the one bound
    });
}

void widen_backlog(int fd) {
    if (fd >= 0) ::listen(fd, SOMAXCONN);
}

}  // namespace zai
