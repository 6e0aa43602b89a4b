/*
 * Kafka stand-in for local development and tests: hosts librdkafka's built-in mock cluster (real Kafka wire
 * protocol) with pre-created topics, prints "BOOTSTRAP=<host:port,...>" on stdout and runs until SIGTERM/SIGINT.
 *
 *   gcc -O2 -o mockbroker mockbroker.c -lrdkafka        (Debian: librdkafka-dev)
 *   ./mockbroker <broker count> [topic:partitions ...]
 *
 * Limits of the mock: random ports, data in memory only, no admin API (CreateTopics/DeleteTopics time out).
 */
#include <librdkafka/rdkafka.h>
#include <librdkafka/rdkafka_mock.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static volatile sig_atomic_t run = 1;
static void stop(int sig) { (void)sig; run = 0; }

int main(int argc, char **argv) {
    int brokers = argc > 1 ? atoi(argv[1]) : 1;
    char errstr[512];
    if (brokers < 1) { fprintf(stderr, "usage: %s <broker count> [topic:partitions ...]\n", argv[0]); return 2; }
    rd_kafka_t *rk = rd_kafka_new(RD_KAFKA_PRODUCER, rd_kafka_conf_new(), errstr, sizeof(errstr));
    if (!rk) { fprintf(stderr, "rd_kafka_new: %s\n", errstr); return 1; }
    rd_kafka_mock_cluster_t *mc = rd_kafka_mock_cluster_new(rk, brokers);
    if (!mc) { fprintf(stderr, "mock cluster creation failed\n"); return 1; }
    for (int i = 2; i < argc; i++) {
        char topic[256];
        int parts = 1;
        strncpy(topic, argv[i], sizeof(topic) - 1);
        topic[sizeof(topic) - 1] = 0;
        char *colon = strchr(topic, ':');
        if (colon) { *colon = 0; parts = atoi(colon + 1); }
        rd_kafka_resp_err_t err = rd_kafka_mock_topic_create(mc, topic, parts, brokers < 3 ? brokers : 3);
        if (err) { fprintf(stderr, "topic %s: %s\n", topic, rd_kafka_err2str(err)); return 1; }
    }
    signal(SIGTERM, stop);
    signal(SIGINT, stop);
    printf("BOOTSTRAP=%s\n", rd_kafka_mock_cluster_bootstraps(mc));
    fflush(stdout);
    while (run) pause();
    rd_kafka_mock_cluster_destroy(mc);
    rd_kafka_destroy(rk);
    return 0;
}
