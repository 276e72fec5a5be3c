"""The fork server started as the judge starts it on a GPU node (--profiler: the profiler's modules imported once,
before any fork), with real processes: it comes up, and the candidate process it forks answers."""
import kbh_spawn


def test_a_fork_server_that_imports_the_profiler_first_still_forks_working_candidate_processes():
    server = kbh_spawn.ForkServer(profiler=True)
    try:
        assert server.ping() >= 0.0
        proc = kbh_spawn.CandidateProcess(server, {"sandbox": {}}, timeout_s=60)
        try:
            answer, _ = proc.call("ping")
            assert answer["ok"] is True and answer["pid"] > 0
        finally:
            proc.close(wait_s=1.0)
    finally:
        server.close()
