// Holds a private PostgreSQL cluster (testsupport::PgCluster) for a test that is not C++
// (console_browser_test.py): prints the database's URL on one line, then keeps the cluster
// until its stdin closes, and removes it (the cluster's watchdog also does when this dies).
#include <iostream>
#include <string>

#include "pg_cluster.hpp"

int main() {
    try {
        testsupport::PgClusterOptions options;
        options.fsync = false;
        testsupport::PgCluster pg(options);
        pg.createDatabase("console");
        std::cout << pg.url("console") << std::endl;
        std::string line;
        while (std::getline(std::cin, line)) {
        }
    } catch (const std::exception& e) {
        std::cerr << "pg_cluster_host: " << e.what() << "\n";
        return 1;
    }
    return 0;
}
