package server

// meetingRoutes declares the kickoff meeting's routes (schedule, reschedule, cancel).
func (s *Server) meetingRoutes(rt router) {}
