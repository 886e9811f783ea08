package server

// webhookRoutes declares the admin's webhook pages; admin is the rule they share.
func (s *Server) webhookRoutes(rt router, admin rule) {}
